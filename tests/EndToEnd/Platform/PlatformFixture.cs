using System.Diagnostics;
using System.Text.Json.Nodes;
using Cloud.Testing;
using Xunit;

namespace Cloud.EndToEnd.Tests.Platform;

/// <summary>One platform for the product scenarios (starting one takes most of a minute on two cores).</summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public static readonly TimeSpan PlanTimeout = TimeSpan.FromMinutes(5);

    public LocalPlatform Platform { get; private set; } = null!;

    public PlatformApi Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Platform = await LocalPlatform.StartAsync();
        Api = new PlatformApi(() => Platform.ApiBaseAddress, Platform.ApiKey);
        await Eventually.AssertAsync(
            async () => (await Api.AllocatorsAsync()).Json?["allocators"]?.AsArray().Count(a => a?["connected"]?.GetValue<bool>() == true && a["allocator_id"]!.GetValue<string>().StartsWith(Platform.Prefix, StringComparison.Ordinal)) == 4,
            TimeSpan.FromMinutes(2),
            "four connected allocators");
    }

    /// <summary>Creates a cluster through the API and waits until its plan has finished and it is healthy.</summary>
    public async Task<string> CreateHealthyClusterAsync(string name, JsonObject plan)
    {
        var created = await Api.CreateClusterAsync(name, plan);
        if ((int)created.Status != 201)
        {
            throw new InvalidOperationException("create refused: " + created);
        }

        var clusterId = created.Body["cluster_id"]!.GetValue<string>();
        await WaitForPlanAsync(clusterId);
        return clusterId;
    }

    /// <summary>Waits until the cluster has no pending plan, is started and healthy; returns the cluster resource.</summary>
    public async Task<JsonNode> WaitForPlanAsync(string clusterId)
    {
        var watch = Stopwatch.StartNew();
        JsonNode? last = null;
        while (watch.Elapsed < PlanTimeout)
        {
            last = (await Api.GetClusterAsync(clusterId)).Json;
            if (last?["plan_info"]?["pending"] is null
                && last?["status"]?.GetValue<string>() == "started"
                && last["healthy"]?.GetValue<bool>() == true)
            {
                return last;
            }

            await Task.Delay(500);
        }

        var activity = await Api.ActivityAsync(clusterId);
        throw new TimeoutException($"cluster {clusterId} did not finish its plan in {PlanTimeout}: {last}\nactivity: {activity}");
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        if (Platform is not null)
        {
            await Platform.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
