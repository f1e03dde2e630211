using System.Text.Json;
using FluentAssertions;
using Xunit;

namespace Cloud.Cli.Tests;

/// <summary>cloudctl against an in-test server that speaks the constructor's contract.</summary>
public sealed class CommandTests : IAsyncLifetime
{
    private FakeConstructor _api = null!;

    public async Task InitializeAsync() => _api = await FakeConstructor.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task ClusterCreate_Table_SendsContractBodyAndShowsEveryStepWithProgress()
    {
        var run = await CliRun.AgainstAsync(_api, "cluster", "create", "--name", "logs", "--version", "8.15.0", "--memory", "2048", "--zones", "2");

        run.ExitCode.Should().Be(0, run.Error);
        var body = _api.LastBody("POST", "/api/v1/clusters/elasticsearch");
        body.GetProperty("cluster_name").GetString().Should().Be("logs");
        var topology = body.GetProperty("plan").GetProperty("cluster_topology")[0];
        topology.GetProperty("memory_per_node").GetInt32().Should().Be(2048);
        topology.GetProperty("zone_count").GetInt32().Should().Be(2);
        topology.GetProperty("node_count_per_zone").GetInt32().Should().Be(1);
        body.GetProperty("plan").GetProperty("elasticsearch").GetProperty("version").GetString().Should().Be("8.15.0");
        var lines = run.Output.Split('\n');
        foreach (var step in FakeConstructor.StepIds)
        {
            lines.Should().Contain(l => l.Contains($"✓ {step} success", StringComparison.Ordinal), step);
        }

        lines.Should().Contain(l => l.StartsWith("[####################]   7/7", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("[###-----------------]   1/7", StringComparison.Ordinal) && l.Contains("start-new-nodes running", StringComparison.Ordinal));
        run.Output.Should().Contain("Plan p1 attempt a1: success");
    }

    [Fact]
    public async Task ClusterCreate_Json_PrintsOneDocumentWithTheFinishedAttempt()
    {
        var run = await CliRun.AgainstAsync(_api, "cluster", "create", "--name", "logs", "-o", "json");

        run.ExitCode.Should().Be(0, run.Error);
        using var document = JsonDocument.Parse(run.Output);
        document.RootElement.GetProperty("cluster_id").GetString().Should().Be("c1");
        document.RootElement.GetProperty("plan_id").GetString().Should().Be("p1");
        var attempt = document.RootElement.GetProperty("attempt");
        attempt.GetProperty("status").GetString().Should().Be("success");
        attempt.GetProperty("steps").GetArrayLength().Should().Be(FakeConstructor.StepIds.Length);
    }

    [Fact]
    public async Task ClusterPlan_AttemptFails_ExitCode4AndShowsTheStepLog()
    {
        _api.PlanOutcome = "error";

        var run = await CliRun.AgainstAsync(_api, "cluster", "plan", "c1", "--memory", "4096");

        run.ExitCode.Should().Be(ExitCodes.PlanFailed);
        run.Output.Should().Contain("✗ record-plan error").And.Contain("the node did not join").And.Contain("attempt a1: error");
    }

    [Fact]
    public async Task ClusterCreate_ValidateOnly_ShowsPlacementAndDoesNotWatch()
    {
        var run = await CliRun.AgainstAsync(_api, "cluster", "create", "--name", "logs", "--validate-only");

        run.ExitCode.Should().Be(0, run.Error);
        _api.Requests.Should().Contain(r => r.Path == "/api/v1/clusters/elasticsearch?validate_only=true");
        _api.Requests.Should().NotContain(r => r.Path.EndsWith("/plan/activity", StringComparison.Ordinal));
        run.Output.Should().Contain("Valid:").And.Contain("instance-0000000000");
    }

    [Fact]
    public async Task ClusterShow_Unknown_ExitCode1WithTheApiErrorCode()
    {
        var run = await CliRun.AgainstAsync(_api, "cluster", "show", "nope");

        run.ExitCode.Should().Be(ExitCodes.ApiError);
        run.Error.Should().Contain("404").And.Contain("clusters.not_found: No cluster nope.");
    }

    [Fact]
    public async Task ClusterListAndShow_Table_RenderColumns()
    {
        var list = await CliRun.AgainstAsync(_api, "cluster", "list");
        var show = await CliRun.AgainstAsync(_api, "cluster", "show", "c1");

        list.ExitCode.Should().Be(0);
        list.Output.Split('\n')[0].Should().Be("CLUSTER_ID  NAME  STATUS   HEALTHY  INSTANCES  PENDING_PLAN");
        list.Output.Split('\n')[1].Should().Be("c1          logs  started  true     1          no");
        show.Output.Should().Contain("Endpoint:  http://c1.localhost:9200").And.Contain("instance-0000000000  host-1     zone-1  1024       running  true");
    }

    [Fact]
    public async Task AllocatorCommands_UseContractPaths()
    {
        var list = await CliRun.AgainstAsync(_api, "allocator", "list");
        var start = await CliRun.AgainstAsync(_api, "allocator", "maintenance", "host-2");
        var stop = await CliRun.AgainstAsync(_api, "allocator", "maintenance", "host-2", "--stop");
        var vacate = await CliRun.AgainstAsync(_api, "allocator", "vacate", "host-1", "-o", "json");

        list.Output.Should().Contain("host-2     10.0.0.2  zone-2  0        8192      false      true         0");
        new[] { start, stop, vacate }.Should().OnlyContain(r => r.ExitCode == 0);
        _api.Requests.Select(r => (r.Method, r.Path)).Should().Contain(new[]
        {
            ("POST", "/api/v1/platform/infrastructure/allocators/host-2/maintenance-mode/_start"),
            ("POST", "/api/v1/platform/infrastructure/allocators/host-2/maintenance-mode/_stop"),
            ("POST", "/api/v1/platform/infrastructure/allocators/host-1/clusters/_move"),
        });
        JsonDocument.Parse(vacate.Output).RootElement.GetProperty("moves")[0].GetProperty("plan_id").GetString().Should().Be("p2");
    }

    [Fact]
    public async Task RoutingOverride_AddShowRemove_SendsContractFields()
    {
        var add = await CliRun.AgainstAsync(_api, "routing", "override", "add", "c1", "drain", "--action", "exclude", "--instances", "instance-0000000000", "--reason", "disk", "--ttl", "600");
        var show = await CliRun.AgainstAsync(_api, "routing", "show", "c1");
        var remove = await CliRun.AgainstAsync(_api, "routing", "override", "remove", "c1", "drain");

        new[] { add, show, remove }.Should().OnlyContain(r => r.ExitCode == 0);
        var body = _api.LastBody("PUT", "/api/v1/clusters/elasticsearch/c1/routing/overrides/drain");
        body.GetProperty("action").GetString().Should().Be("exclude");
        body.GetProperty("instances")[0].GetString().Should().Be("instance-0000000000");
        body.GetProperty("reason").GetString().Should().Be("disk");
        body.GetProperty("ttl_seconds").GetInt64().Should().Be(600);
        show.Output.Should().Contain("drain     exclude  instance-0000000000");
        _api.Requests.Should().Contain(r => r.Method == "DELETE" && r.Path == "/api/v1/clusters/elasticsearch/c1/routing/overrides/drain");
    }

    [Fact]
    public async Task TokenCreate_PrintsTheTokenAlone()
    {
        var run = await CliRun.AgainstAsync(_api, "token", "create", "--roles", "runner,allocator", "--validity", "02:00:00");

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Trim().Should().Be("tok-123");
        var body = _api.LastBody("POST", "/api/v1/platform/configuration/security/enrollment-tokens");
        body.GetProperty("validity_seconds").GetInt64().Should().Be(7200);
        body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("runner", "allocator");
    }

    [Theory]
    [InlineData("cluster", "create")]
    [InlineData("cluster", "show")]
    [InlineData("routing", "override", "add", "c1", "x", "--action", "drop", "--reason", "r")]
    [InlineData("frobnicate")]
    [InlineData("cluster", "create", "--name", "x", "--zones", "0")]
    public async Task BadCommandLine_ExitCode2AndNothingSent(params string[] args)
    {
        var run = await CliRun.AgainstAsync(_api, args);

        run.ExitCode.Should().Be(ExitCodes.Usage, run.Output + run.Error);
        run.Error.Should().StartWith("cloudctl: ");
        _api.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task MissingPlanFile_ExitCode2AndNothingSent()
    {
        var run = await CliRun.AgainstAsync(_api, "cluster", "create", "--name", "x", "--plan-file", "/nonexistent/plan.json");

        run.ExitCode.Should().Be(ExitCodes.Usage);
        run.Error.Should().Contain("/nonexistent/plan.json");
        _api.Requests.Should().BeEmpty();
    }
}
