using System.Diagnostics;
using Cloud.Constructor.Placement;

namespace Cloud.Constructor.Benchmarks;

/// <summary>Placement of a 3-zone cluster among 10,000 allocators (target: p99 at most 5 ms).</summary>
internal static class PlacementBenchmark
{
    public static void Run()
    {
        var allocators = SyntheticPlatform.Allocators(10_000, 3);
        var request = PlacementRequest.ForNewCluster([SyntheticPlatform.Element(4096)], allocators);
        for (var i = 0; i < 200; i++)
        {
            Placer.Place(request);
        }

        var samples = new List<double>();
        for (var i = 0; i < 2_000; i++)
        {
            var watch = Stopwatch.StartNew();
            var result = Placer.Place(request);
            watch.Stop();
            if (!result.Succeeded)
            {
                throw new InvalidOperationException("placement failed");
            }

            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        Console.WriteLine("placement: 3-zone cluster (3 x 4096 MB) among 10,000 allocators, 2,000 runs");
        Console.WriteLine($"  p50 {Percentiles.Ms(Percentiles.Of(samples, 50))}   p99 {Percentiles.Ms(Percentiles.Of(samples, 99))}   max {Percentiles.Ms(samples[^1])}   target p99 <= 5.000 ms   {(Percentiles.Of(samples, 99) <= 5 ? "MET" : "MISSED")}");
    }
}
