using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace Cloud.ElasticsearchNode.Benchmarks;

/// <summary>
/// The peer: a minimal program indexing the same JSON documents straight into Lucene.Net with the same
/// fields the node creates (text, keyword with doc values, long, date, stored source), then committing.
/// </summary>
internal static class RawLucene
{
    public static double IndexDocsPerSecond(int count, int threads)
    {
        var path = Path.Combine(Path.GetTempPath(), "raw-lucene-" + Guid.NewGuid().ToString("N")[..8]);
        var sources = Enumerable.Range(0, count).Select(i => Encoding.UTF8.GetBytes(DocumentGenerator.Json(i))).ToArray();
        var started = Stopwatch.GetTimestamp();
        using (var directory = FSDirectory.Open(path))
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new StandardAnalyzer(LuceneVersion.LUCENE_48, CharArraySet.Empty)) { RAMBufferSizeMB = 32 }))
        {
            Parallel.For(0, threads, t =>
            {
                for (var i = t; i < count; i += threads)
                {
                    writer.UpdateDocument(new Term("_id", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Build(i, sources[i]));
                }
            });
            writer.Commit();
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        System.IO.Directory.Delete(path, recursive: true);
        return count / seconds;
    }

    private static Document Build(int id, byte[] source)
    {
        using var json = JsonDocument.Parse(source);
        var root = json.RootElement;
        var tag = root.GetProperty("tag").GetString()!;
        var n = root.GetProperty("n").GetInt64();
        var ts = DateTimeOffset.Parse(root.GetProperty("ts").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        return
        [
            new StringField("_id", id.ToString(System.Globalization.CultureInfo.InvariantCulture), Field.Store.YES),
            new StoredField("_source", source),
            new TextField("title", root.GetProperty("title").GetString()!, Field.Store.NO),
            new TextField("body", root.GetProperty("body").GetString()!, Field.Store.NO),
            new StringField("tag", tag, Field.Store.NO),
            new SortedSetDocValuesField("tag", new BytesRef(tag)),
            new Int64Field("n", n, Field.Store.NO),
            new NumericDocValuesField("n", n),
            new Int64Field("ts", ts, Field.Store.NO),
            new NumericDocValuesField("ts", ts),
        ];
    }
}
