using System.Globalization;
using Cloud.Shared.Coordination;
using Cloud.Shared.Containers;
using Cloud.Testing;
using Cloud.ZooKeeper;

namespace Cloud.Runner.Benchmarks;

/// <summary>
/// The host agents as the processes they are in production, at rest: a runner that has reconciled a few
/// containers and an allocator with nothing assigned (its own host id, so it never touches the runner's
/// definitions), each sampled for 30 s. Issue 14's target is at most 60 MB RSS per agent.
/// </summary>
internal static class AgentsAtRest
{
    public static async Task RunAsync(ZooKeeperClient client, string connectString, int count, string? publishDir)
    {
        await MeasureAsync(client, connectString, count, "as built (dotnet Cloud.X.dll)", null);
        if (publishDir is not null)
        {
            await MeasureAsync(client, connectString, count, "as published (native executables)", publishDir);
        }
    }

    private static async Task MeasureAsync(ZooKeeperClient client, string connectString, int count, string label, string? publishDir)
    {
        var hostId = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var allocatorId = hostId + "-alloc";
        var dataRoot = Path.Combine(Path.GetTempPath(), "runner-" + hostId);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var name = $"{hostId}-{i:D3}";
                await client.CreateRecursiveAsync(CloudPaths.Container(hostId, name), ContainerSpecJson.Serialize(RunnerBenchmark.Spec(name, dataRoot)), CancellationToken.None);
            }

            await using var runner = Start("Runner", publishDir, new Dictionary<string, string>
            {
                ["ZooKeeper:ConnectString"] = connectString,
                ["Runner:HostId"] = hostId,
                ["Runner:DataRoot"] = dataRoot,
                ["Serilog:MinimumLevel:Default"] = "Warning",
            });
            await using var allocator = Start("Allocator", publishDir, new Dictionary<string, string>
            {
                ["ZooKeeper:ConnectString"] = connectString,
                ["Allocator:AllocatorId"] = allocatorId,
                ["Allocator:Zone"] = "zone-1",
                ["Allocator:HostAddress"] = "127.0.0.1",
                ["Allocator:DataRoot"] = Path.Combine(dataRoot, "allocator"),
                ["Allocator:MemoryCapacityMb"] = "4096",
                ["Serilog:MinimumLevel:Default"] = "Warning",
            });
            while (!await RunnerBenchmark.AllPublishedRunningAsync(client, hostId, count) || await client.ExistsAsync(CloudPaths.Allocator(allocatorId), null, CancellationToken.None) is null)
            {
                Fail(runner, allocator);
                await Task.Delay(100);
            }

            // At rest: a few resync passes (10 s apart by default) and probe passes with nothing to do.
            var samples = new List<(ProcessMemory Runner, ProcessMemory Allocator)>();
            for (var i = 0; i < 6; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                Fail(runner, allocator);
                samples.Add((ProcessMemory.Of(Pid(runner)), ProcessMemory.Of(Pid(allocator))));
            }

            var (lastRunner, lastAllocator) = samples[^1];
            var runnerGc = await GcAsync(runner);
            var allocatorGc = await GcAsync(allocator);
            Console.WriteLine($"agents at rest, {label}; target at most 60 MB RSS each:");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  runner with {count} containers: {lastRunner} (max RSS over 30 s {samples.Max(s => s.Runner.Rss):F1} MB); {runnerGc}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  allocator, nothing assigned:   {lastAllocator} (max RSS over 30 s {samples.Max(s => s.Allocator.Rss):F1} MB); {allocatorGc}"));
        }
        finally
        {
            await RunnerBenchmark.CleanUpAsync(hostId, dataRoot);
        }
    }

    private static RoleProcess Start(string role, string? publishDir, Dictionary<string, string> settings) =>
        publishDir is null
            ? RoleProcess.Start(role, settings)
            : RoleProcess.StartPublished(role, Path.Combine(publishDir, role.ToLowerInvariant(), $"Cloud.{role}"), settings);

    private static int Pid(RoleProcess role) =>
        role.Process.CommandId ?? throw new InvalidOperationException($"{role.Role} has no process");

    private static void Fail(params RoleProcess[] roles)
    {
        foreach (var role in roles.Where(r => r.Process.HasExited))
        {
            throw new InvalidOperationException($"{role.Role} exited with code {role.Process.ExitCode}:\n{string.Join('\n', role.Process.Output.TakeLast(30))}");
        }
    }

    /// <summary>The GC's own view, from the role's Prometheus endpoint (the runtime's System.Runtime meter).</summary>
    private static async Task<string> GcAsync(RoleProcess role)
    {
        using var http = new HttpClient { BaseAddress = role.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        double Sum(string metric) => text.Split('\n')
            .Where(l => l.StartsWith(metric, StringComparison.Ordinal) && (l.Length == metric.Length || l[metric.Length] is ' ' or '{'))
            .Sum(l => double.Parse(l[(l.Contains('}', StringComparison.Ordinal) ? l.IndexOf('}', StringComparison.Ordinal) + 1 : metric.Length)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)) / (1024 * 1024);
        return string.Create(CultureInfo.InvariantCulture,
            $"GC heap after last collection {Sum("dotnet_gc_last_collection_heap_size_bytes"):F1} MB, committed {Sum("dotnet_gc_last_collection_memory_committed_size_bytes"):F1} MB");
    }
}
