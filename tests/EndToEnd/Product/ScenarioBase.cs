using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Cloud.EndToEnd.Tests.Platform;
using Cloud.Testing;
using FluentAssertions;
using Xunit.Abstractions;

namespace Cloud.EndToEnd.Tests.Product;

/// <summary>What the product scenarios share: the platform, its API, and reads of what users can see (API, proxy, Docker).</summary>
public abstract class ScenarioBase(PlatformFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    protected PlatformFixture Fixture => fixture;

    protected ITestOutputHelper Output => output;

    protected PlatformApi Api => fixture.Api;

    protected LocalPlatform Platform => fixture.Platform;

    protected async Task<string> SharedClusterAsync()
    {
        var list = (await Api.ListClustersAsync()).Body;
        var existing = list["elasticsearch_clusters"]!.AsArray().FirstOrDefault(c => c?["cluster_name"]?.GetValue<string>() == "e2e-shared");
        if (existing is not null)
        {
            return existing["cluster_id"]!.GetValue<string>();
        }

        var clusterId = await fixture.CreateHealthyClusterAsync("e2e-shared", Plans.SingleNode());
        using var client = new ClusterClient(Platform.ProxyPort, clusterId);
        await client.BulkIndexAsync("shared", 0, 200);
        return clusterId;
    }

    protected async Task<IReadOnlyList<string>> InstanceNamesAsync(string clusterId) =>
        [.. (await Api.GetClusterAsync(clusterId)).Body["topology"]!["instances"]!.AsArray().Select(i => i!["instance_name"]!.GetValue<string>()).Order()];

    protected static async Task<HashSet<string>> HandlersAsync(ClusterClient client, int requests)
    {
        var handlers = new HashSet<string>();
        for (var i = 0; i < requests; i++)
        {
            var response = await client.GetAsync("/");
            response.Status.Should().Be(HttpStatusCode.OK, response.ToString());
            handlers.Add(response.HandlingInstance ?? "?");
        }

        return handlers;
    }

    /// <summary>Container id to its start time and restart count, for every container of one cluster.</summary>
    protected async Task<Dictionary<string, string>> ContainerStartsAsync(string clusterId)
    {
        var starts = new Dictionary<string, string>();
        foreach (var host in Platform.Hosts)
        {
            var ids = await DockerEngine.CliAsync("ps", "-q", "--filter", "label=" + host.ContainerLabel, "--filter", "name=es-" + clusterId.ToLowerInvariant() + "-");
            foreach (var id in ids.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                starts[id] = await DockerEngine.CliAsync("inspect", "-f", "{{.State.StartedAt}} {{.RestartCount}}", id);
            }
        }

        return starts;
    }

    protected static async Task<IReadOnlyList<string>> RunningContainersOfAsync(IEnumerable<string> instanceNames) =>
        await ContainersMatchingAsync(instanceNames, "ps");

    protected static async Task<IReadOnlyList<string>> AllContainersOfAsync(IEnumerable<string> instanceNames) =>
        await ContainersMatchingAsync(instanceNames, "ps", "-a");

    private static async Task<IReadOnlyList<string>> ContainersMatchingAsync(IEnumerable<string> instanceNames, params string[] command)
    {
        var names = await DockerEngine.CliAsync([.. command, "--format", "{{.Names}}"]);
        return [.. names.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(n => instanceNames.Any(i => n.Contains(i, StringComparison.Ordinal)))];
    }

    protected async Task<RoleProcess> LeaderAsync()
    {
        var constructors = (await Api.SendAsync(HttpMethod.Get, "/api/v1/platform/infrastructure/constructors")).Body["constructors"]!.AsArray();
        var leaderId = constructors.Single(c => c!["leader"]!.GetValue<bool>())!["constructor_id"]!.GetValue<string>();
        return Platform.Constructors.Single(c => Platform.ConstructorId(c) == leaderId);
    }

    protected static async Task<JsonNode> WaitForPlanThroughAsync(PlatformApi api, string clusterId)
    {
        JsonNode? last = null;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < PlatformFixture.PlanTimeout)
        {
            try
            {
                last = (await api.GetClusterAsync(clusterId)).Json;
            }
            catch (HttpRequestException)
            {
                // The constructor that answered may be the one just killed.
            }

            if (last?["plan_info"]?["pending"] is null && last?["status"]?.GetValue<string>() == "started" && last["healthy"]?.GetValue<bool>() == true)
            {
                return last;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"plan of {clusterId} did not finish: {last}");
    }

    public void Dispose()
    {
        output.WriteLine($"scenario took {_watch.Elapsed.TotalSeconds:F1} s");
        GC.SuppressFinalize(this);
    }
}
