using System.Diagnostics;
using System.Text.Json;
using Cloud.ElasticsearchNode.Documents;
using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Indices;
using Cloud.ElasticsearchNode.Mapping;
using Cloud.ElasticsearchNode.Rest;
using Lucene.Net.Documents;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.ElasticsearchNode.Benchmarks;

/// <summary>
/// Where the node's bulk time goes, one stage at a time on one thread (no profiler needed): parsing the bulk
/// body, parsing documents, the shard engine (Lucene, versions, translog) with and without the 1 s refresh,
/// the translog fsyncs, the whole write path below HTTP, rendering the response, and the full HTTP request.
/// </summary>
internal static class StageTimings
{
    public static async Task RunAsync(IReadOnlyList<byte[]> bodies, int documents, double ramBufferMb, InProcessHost host)
    {
        Console.WriteLine();
        Console.WriteLine($"| stage (1 thread, {documents:N0} docs) | ms | µs/doc | CPU µs/doc (all threads) | GCs gen0/1/2 | GC pause ms | allocated KB/doc |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        var gc = GcSnapshot.Now();
        void Row(string stage, TimeSpan elapsed)
        {
            var now = GcSnapshot.Now();
            Console.WriteLine($"| {stage} | {elapsed.TotalMilliseconds:N0} | {elapsed.TotalMilliseconds * 1000 / documents:N1} | {(now.Cpu - gc.Cpu).TotalMilliseconds * 1000 / documents:N1} | " +
                $"{now.Gen0 - gc.Gen0}/{now.Gen1 - gc.Gen1}/{now.Gen2 - gc.Gen2} | {(now.Pause - gc.Pause).TotalMilliseconds:N0} | {(now.Allocated - gc.Allocated) / 1024.0 / documents:N1} |");
            gc = GcSnapshot.Now();
        }

        var watch = Stopwatch.StartNew();
        void Start()
        {
            gc = GcSnapshot.Now();
            watch.Restart();
        }

        Start();
        var rawDocsPerSecond = RawLucene.IndexDocsPerSecond(bodies, documents, 1, ramBufferMb);
        Row("raw Lucene.Net peer (JSON parse, UpdateDocument, commit)", TimeSpan.FromSeconds(documents / rawDocsPerSecond));

        Start();
        var requests = bodies.Select(b => BulkActions.Parse(b, "stages", null)).ToList();
        Row("bulk body parse (BulkActions.Parse)", watch.Elapsed);

        var first = requests[0][0];
        var mapping = TypeMapping.Empty.Merge(DocumentParser.Parse(TypeMapping.Empty, first.Id!, first.Source).DynamicUpdate!);
        Start();
        foreach (var write in requests.SelectMany(r => r))
        {
            _ = DocumentParser.Parse(mapping, write.Id!, write.Source);
        }

        Row("document parse (DocumentParser.Parse)", watch.Elapsed);

        foreach (var refreshEverySecond in (bool[])[false, true])
        {
            var (engine, sync) = await RunEngineAsync(requests, mapping, ramBufferMb, refreshEverySecond);
            Row($"parse + IndexShard.Index{(refreshEverySecond ? " + refresh every 1 s" : "")}", engine);
            Row("  of which translog fsync, once per bulk", sync);
        }

        var coordinator = host.Services.GetRequiredService<IDocumentCoordinator>();
        var metadata = host.Services.GetRequiredService<IIndexMetadataService>();
        await NodeBulkClient.CreateIndexAsync(host.Http, "stages");
        var results = new List<IReadOnlyList<WriteItemResult>>();
        Start();
        foreach (var request in requests)
        {
            results.Add(await coordinator.WriteAsync(request, RefreshPolicy.None, CancellationToken.None));
        }

        Row("IDocumentCoordinator.WriteAsync (node, below HTTP)", watch.Elapsed);

        Start();
        foreach (var result in results)
        {
            using var payload = new PooledBufferWriter(16 * 1024);
            using var writer = new Utf8JsonWriter(payload);
            BulkActions.WriteResponse(writer, result, 1, metadata.Current);
        }

        Row("bulk response render (BulkActions.WriteResponse)", watch.Elapsed);

        Start();
        await NodeBulkClient.IndexDocsPerSecondAsync(host.Http, "stages-http", bodies, documents, 1);
        Row("whole HTTP bulk requests in-process (1 client)", watch.Elapsed);
    }

    private static async Task<(TimeSpan Engine, TimeSpan Sync)> RunEngineAsync(List<List<WriteRequest>> requests, TypeMapping mapping, double ramBufferMb, bool refreshEverySecond)
    {
        var path = Path.Combine(Path.GetTempPath(), "es-stage-" + Guid.NewGuid().ToString("N")[..8]);
        var sync = TimeSpan.Zero;
        var watch = Stopwatch.StartNew();
        using (var shard = IndexShard.Open(new ShardId("stages", "stages", 0), path, new MappingAnalyzer(mapping), new Factory(mapping), 1, ramBufferMb))
        {
            var lastRefresh = watch.Elapsed;
            foreach (var request in requests)
            {
                long location = 0;
                foreach (var write in request)
                {
                    var document = DocumentParser.Parse(mapping, write.Id!, write.Source).Document;
                    shard.Index(write.Id!, null, write.Source, document, WriteConstraints.None, out location);
                }

                var synced = Stopwatch.GetTimestamp();
                await shard.SyncAsync(location, CancellationToken.None);
                sync += Stopwatch.GetElapsedTime(synced);
                if (refreshEverySecond && watch.Elapsed - lastRefresh > TimeSpan.FromSeconds(1))
                {
                    shard.ScheduledRefresh();
                    lastRefresh = watch.Elapsed;
                }
            }

            watch.Stop();
        }

        Directory.Delete(path, recursive: true);
        return (watch.Elapsed, sync);
    }

    private sealed class Factory(TypeMapping mapping) : IShardDocumentFactory
    {
        public Document Build(string id, ReadOnlyMemory<byte> source) => DocumentParser.Parse(mapping, id, source).Document;
    }

    private readonly record struct GcSnapshot(int Gen0, int Gen1, int Gen2, TimeSpan Pause, long Allocated, TimeSpan Cpu)
    {
        public static GcSnapshot Now() =>
            new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes(precise: true),
                System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime);
    }
}
