using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode;
using Cloud.ElasticsearchNode.Benchmarks;

// Figures for the README's benchmark table: the node (container, HTTP, JSON, translog fsync per request)
// beside raw Lucene.Net indexing the same bulk bodies in this process.
// Usage: [image] [documents]; --in-process [documents]: the node's host in this process, then a per-stage breakdown;
// --stages [documents]: the breakdown only. --rounds N: node and peer take turns N times (default 2), best round counts.
// --floor IMAGE: Docker's floor image (Floor/build.sh) started in turn with the node --start-rounds N times (default 3)
// before the bulk run; --start-only: those start rounds alone.
string[] valued = ["--rounds", "--floor", "--start-rounds"];
var inProcess = args.Contains("--in-process") || args.Contains("--stages");
var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !valued.Contains(args[i - 1]))).ToArray();
var image = inProcess ? "" : positional.Length > 0 ? positional[0] : "cloud/elasticsearch:8.15.0";
var countArgument = inProcess ? positional.FirstOrDefault() : positional.Skip(1).FirstOrDefault();
var total = countArgument is null ? 200_000 : int.Parse(countArgument, CultureInfo.InvariantCulture);
var bulkMeasure = Math.Min(total, 50_000);
const string HeapOptions = "-Xms1g -Xmx1g";
var ramBufferMb = NodeSettings.FromVariables(new Dictionary<string, string> { ["ES_JAVA_OPTS"] = HeapOptions }).IndexBufferMb;

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
if (!inProcess)
{
    // Start first, on a quiet node: the node and Docker's floor take turns, so each pair saw the same machine.
    var startRounds = Option("--start-rounds") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 3;
    await StartBenchmark.RunAsync(image, Option("--floor"), HeapOptions, startRounds);
    if (args.Contains("--start-only"))
    {
        return;
    }
}

// Every body is made before any clock starts; both sides index these same bytes.
var measured = BulkBodies.Prepare(0, bulkMeasure);
if (args.Contains("--stages"))
{
    // Only the per-stage breakdown, in this process.
    await using var stagesHost = await InProcessHost.StartAsync(HeapOptions);
    await StageTimings.RunAsync(measured, bulkMeasure, ramBufferMb, stagesHost);
    return;
}

var rest = total > bulkMeasure ? BulkBodies.Prepare(bulkMeasure, total - bulkMeasure) : [];
FieldParity.Check(measured[0]);
Console.WriteLine($"documents: ~{Encoding.UTF8.GetByteCount(DocumentGenerator.Json(1))} bytes each, {BulkBodies.BulkSize} per bulk; bulk measured on {bulkMeasure:N0}, search on {total:N0}; " +
    $"Lucene RAM buffer {ramBufferMb:0.#} MB on both sides; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
// The machine is shared: node and peer take turns, and each side's best round counts (the least disturbed one).
var rounds = args.SkipWhile(a => a != "--rounds").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(2);

ContainerNode? container = null;
InProcessHost? host = null;
try
{
    HttpClient http;
    if (inProcess)
    {
        host = await InProcessHost.StartAsync(HeapOptions);
        http = host.Http;
    }
    else
    {
        container = await ContainerNode.StartAsync(image, HeapOptions);
        http = container.Http;
    }

    var rssAtRest = container is null ? 0 : await container.RssAsync();
    var (raw1, raw4, node1, node4) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
    for (var round = 0; round < rounds; round++)
    {
        raw1.Add(RawLucene.IndexDocsPerSecond(measured, bulkMeasure, 1, ramBufferMb));
        node1.Add(await NodeBulkClient.IndexDocsPerSecondAsync(http, round == 0 ? "bench-1" : $"bench-1-{round}", measured, bulkMeasure, 1));
        raw4.Add(RawLucene.IndexDocsPerSecond(measured, bulkMeasure, 4, ramBufferMb));
        node4.Add(await NodeBulkClient.IndexDocsPerSecondAsync(http, $"bench-4-{round}", measured, bulkMeasure, 4));
    }

    static string Rounds(List<double> values) => values.Count == 1 ? "" : $" (rounds: {string.Join(", ", values.Select(v => v.ToString("N0", CultureInfo.InvariantCulture)))})";
    if (rest.Count > 0)
    {
        await NodeBulkClient.IndexDocsPerSecondAsync(http, "bench-1", rest, total - bulkMeasure, 4, create: false);
    }

    const string searchIndex = "bench-1";
    using (await http.PostAsync(new Uri($"/{searchIndex}/_refresh", UriKind.Relative), null))
    {
    }

    var rssAfter = container is null ? 0 : await container.RssAsync();
    var latencies = new List<double>();
    var random = new Random(7);
    for (var q = 0; q < 500; q++)
    {
        var query = new JsonObject { ["query"] = new JsonObject { ["match"] = new JsonObject { ["body"] = DocumentGenerator.Word(random) + " " + DocumentGenerator.Word(random) } } };
        var watch = Stopwatch.StartNew();
        using var response = await http.PostAsJsonAsync(new Uri($"/{searchIndex}/_search", UriKind.Relative), query);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
        latencies.Add(watch.Elapsed.TotalMilliseconds);
    }

    latencies.Sort();
    double Percentile(double p) => latencies[(int)Math.Min(latencies.Count - 1, Math.Ceiling(p * latencies.Count) - 1)];
    Console.WriteLine();
    Console.WriteLine($"| measure | node ({(inProcess ? "in this process" : "container")}, HTTP) | raw Lucene.Net | ratio |");
    Console.WriteLine("|---|---|---|---|");
    Console.WriteLine($"| bulk docs/s, 1 client, best of {rounds} | {node1.Max():N0}{Rounds(node1)} | {raw1.Max():N0} (1 thread){Rounds(raw1)} | {node1.Max() / raw1.Max():0.00}x |");
    Console.WriteLine($"| bulk docs/s, 4 clients, best of {rounds} | {node4.Max():N0}{Rounds(node4)} | {raw4.Max():N0} (4 threads){Rounds(raw4)} | {node4.Max() / raw4.Max():0.00}x |");
    Console.WriteLine($"| match p50 / p99 on {total:N0} docs | {Percentile(0.5):0.0} ms / {Percentile(0.99):0.0} ms | | |");
    if (container is not null)
    {
        Console.WriteLine($"| RSS at rest / after indexing | {rssAtRest / 1048576.0:0} MB / {rssAfter / 1048576.0:0} MB | | |");
        Console.WriteLine($"| container start to GET / (this run's node) | {container.Start} (`docker create` before it: {container.CreateMs:0} ms) | | |");
        Console.WriteLine($"node's startup report: {await container.StartupReportAsync()}");
    }

    if (host is not null)
    {
        await StageTimings.RunAsync(measured, bulkMeasure, ramBufferMb, host);
    }
}
finally
{
    if (container is not null)
    {
        await container.DisposeAsync();
    }

    if (host is not null)
    {
        await host.DisposeAsync();
    }
}
