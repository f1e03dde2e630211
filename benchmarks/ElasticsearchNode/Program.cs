using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Benchmarks;
using Cloud.Testing;

// Figures for the README's benchmark table: the node (container, HTTP, JSON, translog fsync per request)
// beside raw Lucene.Net indexing the same documents in this process.
var image = args.Length > 0 ? args[0] : "cloud/elasticsearch:8.15.0";
var total = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000;
var bulkMeasure = Math.Min(total, 50_000);
const int BulkSize = 1000;

Console.WriteLine($"documents: ~{Encoding.UTF8.GetByteCount(DocumentGenerator.Json(1))} bytes each; bulk measured on {bulkMeasure:N0}, search on {total:N0}");
var raw1 = RawLucene.IndexDocsPerSecond(bulkMeasure, 1);
var raw4 = RawLucene.IndexDocsPerSecond(bulkMeasure, 4);

var name = "es-bench-" + Guid.NewGuid().ToString("N")[..8];
var port = FreePorts.Next();
var startedAt = Stopwatch.GetTimestamp();
await DockerEngine.CliAsync("run", "-d", "--name", name, "--label", "cloud.test=es-bench", "-p", $"127.0.0.1:{port}:9200", "-e", "ES_JAVA_OPTS=-Xms1g -Xmx1g", image);
using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(5) };
try
{
    while (true)
    {
        try
        {
            using var response = await http.GetAsync(new Uri("/", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                break;
            }
        }
        catch (HttpRequestException)
        {
        }

        await Task.Delay(10);
    }

    var startMs = Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds;
    var rssAtRest = await RssAsync(name);

    async Task<double> BulkAsync(string index, int from, int count, int clients)
    {
        await http.PutAsJsonAsync(new Uri("/" + index, UriKind.Relative), new { settings = new { number_of_shards = 1, number_of_replicas = 0 } });
        var batches = Enumerable.Range(0, (count + BulkSize - 1) / BulkSize).Select(b => from + (b * BulkSize)).ToList();
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            int batch;
            while ((batch = Interlocked.Increment(ref next)) < batches.Count)
            {
                var body = new StringBuilder();
                for (var i = batches[batch]; i < Math.Min(batches[batch] + BulkSize, from + count); i++)
                {
                    body.Append("{\"index\":{\"_id\":\"").Append(i).Append("\"}}\n").Append(DocumentGenerator.Json(i)).Append('\n');
                }

                using var content = new StringContent(body.ToString(), Encoding.UTF8, "application/x-ndjson");
                using var response = await http.PostAsync(new Uri($"/{index}/_bulk", UriKind.Relative), content);
                var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                if (result["errors"]?.GetValue<bool>() != false)
                {
                    throw new InvalidOperationException("bulk failed: " + result.ToJsonString()[..Math.Min(500, result.ToJsonString().Length)]);
                }
            }
        }));
        return count / watch.Elapsed.TotalSeconds;
    }

    var node1 = await BulkAsync("bench-1", 0, bulkMeasure, 1);
    var node4 = await BulkAsync("bench-4", 0, bulkMeasure, 4);
    if (total > bulkMeasure)
    {
        await BulkAsync("bench-1", bulkMeasure, total - bulkMeasure, 4);
    }

    await http.PostAsync(new Uri("/bench-1/_refresh", UriKind.Relative), null);
    var rssAfter = await RssAsync(name);
    var latencies = new List<double>();
    var random = new Random(7);
    for (var q = 0; q < 500; q++)
    {
        var query = new JsonObject { ["query"] = new JsonObject { ["match"] = new JsonObject { ["body"] = DocumentGenerator.Word(random) + " " + DocumentGenerator.Word(random) } } };
        var watch = Stopwatch.StartNew();
        using var content = new StringContent(query.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("/bench-1/_search", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
        latencies.Add(watch.Elapsed.TotalMilliseconds);
    }

    latencies.Sort();
    double Percentile(double p) => latencies[(int)Math.Min(latencies.Count - 1, Math.Ceiling(p * latencies.Count) - 1)];
    Console.WriteLine();
    Console.WriteLine("| measure | node (container, HTTP) | raw Lucene.Net | ratio |");
    Console.WriteLine("|---|---|---|---|");
    Console.WriteLine($"| bulk docs/s, 1 client | {node1:N0} | {raw1:N0} (1 thread) | {node1 / raw1:0.00}x |");
    Console.WriteLine($"| bulk docs/s, 4 clients | {node4:N0} | {raw4:N0} (4 threads) | {node4 / raw4:0.00}x |");
    Console.WriteLine($"| match p50 / p99 on {total:N0} docs | {Percentile(0.5):0.0} ms / {Percentile(0.99):0.0} ms | | |");
    Console.WriteLine($"| RSS at rest / after indexing | {rssAtRest / 1048576.0:0} MB / {rssAfter / 1048576.0:0} MB | | |");
    Console.WriteLine($"| container start to GET / | {startMs:0} ms | | |");
}
finally
{
    await DockerEngine.CliAsync("rm", "-f", name);
}

// Resident memory of every process in the container (the relaunching parent and the node).
static async Task<long> RssAsync(string container)
{
    var pids = await DockerEngine.CliAsync("top", container, "-o", "pid");
    long rss = 0;
    foreach (var line in pids.Split('\n').Skip(1))
    {
        var status = $"/proc/{line.Trim()}/status";
        if (File.Exists(status))
        {
            var vmRss = (await File.ReadAllLinesAsync(status)).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            rss += vmRss is null ? 0 : long.Parse(vmRss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
    }

    return rss;
}
