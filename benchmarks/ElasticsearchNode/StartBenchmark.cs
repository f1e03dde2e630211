using System.Globalization;

namespace Cloud.ElasticsearchNode.Benchmarks;

/// <summary>
/// The start figure: a fresh node container and Docker's floor (when its image is given) started in turn, each round
/// printing both from <c>docker start</c> and from the process start, the node's own startup report and the load
/// average, so the node's share of the start reads honestly on a machine whose load swings.
/// </summary>
internal static class StartBenchmark
{
    public static async Task RunAsync(string image, string? floorImage, string heapOptions, int rounds)
    {
        Console.WriteLine($"| start round | load | node: docker start -> GET / | node: process start -> GET / | floor: docker start -> GET / | floor: process start -> GET / | node over floor |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        var node = new List<StartTimings>();
        var floor = new List<StartTimings>();
        for (var round = 1; round <= rounds; round++)
        {
            var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            StartTimings? floorRound = floorImage is null ? null : await DockerFloor.MeasureAsync(floorImage);
            string report;
            StartTimings nodeRound;
            await using (var container = await ContainerNode.StartAsync(image, heapOptions))
            {
                nodeRound = container.Start;
                report = await container.StartupReportAsync();
            }

            node.Add(nodeRound);
            if (floorRound is not null)
            {
                floor.Add(floorRound);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {round} | {load} | {nodeRound.StartToAnswerMs:0} ms | {nodeRound.ProcessToAnswerMs:0} ms | {Ms(floorRound?.StartToAnswerMs)} | {Ms(floorRound?.ProcessToAnswerMs)} | {Ms(nodeRound.StartToAnswerMs - floorRound?.StartToAnswerMs)} |"));
            Console.WriteLine($"  node's startup report: {report}");
        }

        var floorText = floor.Count == 0 ? "Docker's floor not measured (no --floor image)" :
            FormattableString.Invariant($"Docker's floor {Median(floor, t => t.StartToAnswerMs):0} ms from docker start, {Median(floor, t => t.ProcessToAnswerMs):0} ms from its process start");
        Console.WriteLine(FormattableString.Invariant(
            $"start, median of {rounds}: node {Median(node, t => t.StartToAnswerMs):0} ms from docker start, {Median(node, t => t.ProcessToAnswerMs):0} ms from its process start; {floorText}"));
    }

    private static string Ms(double? value) => value is { } ms ? ms.ToString("0", CultureInfo.InvariantCulture) + " ms" : "-";

    private static double Median(List<StartTimings> values, Func<StartTimings, double> of)
    {
        var sorted = values.Select(of).Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }
}
