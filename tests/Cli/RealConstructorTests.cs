using System.Text.Json;
using FluentAssertions;
using Xunit;

namespace Cloud.Cli.Tests;

/// <summary>
/// cloudctl against the real constructor process (real ZooKeeper, one real allocator): what scripts rely
/// on, the JSON output and the exit codes. Plans are placed and accepted here; running them to the end
/// needs runners and Docker and is the end-to-end suite's job.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RealConstructorTests(RealConstructorFixture constructor) : IClassFixture<RealConstructorFixture>
{
    [Fact]
    public async Task ClusterCreate_ValidateOnly_PlacesOnTheAllocatorAndCreatesNothing()
    {
        var before = await ClusterIdsAsync();

        var run = await constructor.RunAsync("cluster", "create", "--name", "dry", "--zones", "1", "--memory", "1024", "--validate-only", "-o", "json");

        run.ExitCode.Should().Be(0, run.Error);
        using var document = JsonDocument.Parse(run.Output);
        document.RootElement.GetProperty("validate_only").GetBoolean().Should().BeTrue();
        var instance = document.RootElement.GetProperty("instances").EnumerateArray().Should().ContainSingle().Subject;
        instance.GetProperty("allocator_id").GetString().Should().Be(RealConstructorFixture.AllocatorId);
        instance.GetProperty("zone").GetString().Should().Be("zone-1");
        (await ClusterIdsAsync()).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task ClusterCreate_NoWait_ThenListAndShowAsJson_TheClusterIsThere()
    {
        var create = await constructor.RunAsync("cluster", "create", "--name", "orders", "--zones", "1", "--memory", "1024", "--no-wait", "-o", "json");

        create.ExitCode.Should().Be(0, create.Error);
        string clusterId;
        using (var accepted = JsonDocument.Parse(create.Output))
        {
            clusterId = accepted.RootElement.GetProperty("cluster_id").GetString()!;
        }

        var list = await constructor.RunAsync("cluster", "list", "--output", "json");
        list.ExitCode.Should().Be(0, list.Error);
        using (var listed = JsonDocument.Parse(list.Output))
        {
            listed.RootElement.GetProperty("elasticsearch_clusters").EnumerateArray()
                .Should().Contain(c => c.GetProperty("cluster_id").GetString() == clusterId && c.GetProperty("cluster_name").GetString() == "orders");
        }

        var show = await constructor.RunAsync("cluster", "show", clusterId, "-o", "json");
        show.ExitCode.Should().Be(0, show.Error);
        using var shown = JsonDocument.Parse(show.Output);
        shown.RootElement.GetProperty("cluster_name").GetString().Should().Be("orders");
        shown.RootElement.GetProperty("plan_info").ValueKind.Should().Be(JsonValueKind.Object);

        var table = await constructor.RunAsync("cluster", "list");
        table.ExitCode.Should().Be(0, table.Error);
        table.Output.Should().Contain(clusterId).And.Contain("orders");
    }

    [Fact]
    public async Task TokenCreate_Json_ReturnsATokenForTheRolesWithItsExpiry()
    {
        var run = await constructor.RunAsync("token", "create", "--roles", "runner,allocator", "--validity", "00:10:00", "-o", "json");

        run.ExitCode.Should().Be(0, run.Error);
        using var document = JsonDocument.Parse(run.Output);
        document.RootElement.GetProperty("token").GetString().Should().MatchRegex("^[0-9a-f]{16}\\.[A-Za-z0-9_-]{43}$");
        document.RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("runner", "allocator");
        document.RootElement.GetProperty("expires_at").GetDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow.AddMinutes(10), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task TokenCreate_UnknownRole_ExitCode1WithTheFieldError()
    {
        var run = await constructor.RunAsync("token", "create", "--roles", "runner,pilot");

        run.ExitCode.Should().Be(ExitCodes.ApiError, run.Output);
        run.Error.Should().Contain("enrollment.role_unknown").And.Contain("roles[1]");
    }

    [Fact]
    public async Task ClusterCreate_MoreZonesThanAllocators_ExitCode1AndNothingCreated()
    {
        var before = await ClusterIdsAsync();

        var run = await constructor.RunAsync("cluster", "create", "--name", "wide", "--zones", "3");

        run.ExitCode.Should().Be(ExitCodes.ApiError, run.Output);
        run.Error.Should().Contain("plan.zone_count_exceeds_zones");
        (await ClusterIdsAsync()).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task ClusterShow_UnknownCluster_ExitCode1()
    {
        var run = await constructor.RunAsync("cluster", "show", "no-such-cluster");

        run.ExitCode.Should().Be(ExitCodes.ApiError, run.Output);
        run.Error.Should().Contain("cluster.not_found");
    }

    [Fact]
    public async Task AnyCommand_WrongApiKey_ExitCode1Unauthenticated()
    {
        var run = await CliRun.RunAsync(null, null, "--api-url", constructor.Url.ToString(), "--api-key", "wrong", "cluster", "list");

        run.ExitCode.Should().Be(ExitCodes.ApiError, run.Output);
        run.Error.Should().Contain("auth.unauthenticated");
    }

    [Fact]
    public async Task ClusterCreate_BadOptionValue_ExitCode2AndNothingSent()
    {
        var before = await ClusterIdsAsync();

        var run = await constructor.RunAsync("cluster", "create", "--name", "bad", "--memory", "lots");

        run.ExitCode.Should().Be(ExitCodes.Usage, run.Output);
        (await ClusterIdsAsync()).Should().BeEquivalentTo(before);
    }

    private async Task<IReadOnlyList<string>> ClusterIdsAsync()
    {
        var run = await constructor.RunAsync("cluster", "list", "-o", "json");
        run.ExitCode.Should().Be(0, run.Error);
        using var document = JsonDocument.Parse(run.Output);
        return [.. document.RootElement.GetProperty("elasticsearch_clusters").EnumerateArray().Select(c => c.GetProperty("cluster_id").GetString()!)];
    }
}
