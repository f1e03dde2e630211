using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cloud.ElasticsearchNode.Engine;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace Cloud.ElasticsearchNode.Benchmarks;

/// <summary>
/// The peer: a minimal program indexing the same bulk bodies straight into Lucene.Net, with the fields the node
/// makes of each document (dynamic mapping: text with a keyword sub-field, long, date; <c>_field_names</c>; the
/// metadata fields <c>_id</c>, <c>_source</c>, <c>_seq_no</c>, <c>_version</c>, <c>_primary_term</c>) and the
/// node's <see cref="IndexWriter"/> configuration, then committing. <see cref="FieldParity"/> checks the fields
/// against the node's own code before any run.
/// </summary>
internal static class RawLucene
{
    private const int IgnoreAbove = 256;

    public static double IndexDocsPerSecond(IReadOnlyList<byte[]> bodies, int documents, int threads, double ramBufferMb)
    {
        var path = Path.Combine(Path.GetTempPath(), "raw-lucene-" + Guid.NewGuid().ToString("N")[..8]);
        var analyzer = new StandardAnalyzer(LuceneVersion.LUCENE_48, CharArraySet.Empty);
        long seqNo = -1;
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        using (var directory = FSDirectory.Open(path))
        using (var writer = new IndexWriter(directory, ShardWriterConfig.Create(analyzer, ramBufferMb)))
        {
            void Work()
            {
                int body;
                while ((body = Interlocked.Increment(ref next)) < bodies.Count)
                {
                    foreach (var (action, source) in BulkBodies.Pairs(bodies[body]))
                    {
                        var id = IdOf(action.Span);
                        writer.UpdateDocument(new Term("_id", id), Build(id, source, Interlocked.Increment(ref seqNo)));
                    }
                }
            }

            Task.WaitAll([.. Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(Work, TaskCreationOptions.LongRunning))]);
            writer.Commit();
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        System.IO.Directory.Delete(path, recursive: true);
        return documents / seconds;
    }

    /// <summary>The <c>_id</c> of a bulk action line (<c>{"index":{"_id":"7"}}</c>).</summary>
    public static string IdOf(ReadOnlySpan<byte> action)
    {
        var reader = new Utf8JsonReader(action);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("_id"u8) && reader.Read())
            {
                return reader.GetString()!;
            }
        }

        throw new InvalidOperationException("bulk action without _id");
    }

    public static Document Build(string id, ReadOnlyMemory<byte> source, long seqNo)
    {
        using var json = JsonDocument.Parse(source);
        var root = json.RootElement;
        var n = root.GetProperty("n").GetInt64();
        var ts = DateTimeOffset.Parse(root.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        var document = new Document();
        Text(document, "title", root.GetProperty("title").GetString()!);
        Text(document, "body", root.GetProperty("body").GetString()!);
        Text(document, "tag", root.GetProperty("tag").GetString()!);
        Long(document, "n", n);
        Long(document, "ts", ts);
        foreach (var name in (string[])["title", "title.keyword", "body", "body.keyword", "tag", "tag.keyword", "n", "ts"])
        {
            document.Add(new StringField("_field_names", name, Field.Store.NO));
        }

        document.Add(new StringField("_id", id, Field.Store.YES));
        document.Add(new StoredField("_source", source.ToArray()));
        document.Add(new Int64Field("_seq_no", seqNo, Field.Store.YES));
        document.Add(new NumericDocValuesField("_seq_no", seqNo));
        document.Add(new StoredField("_version", 1L));
        document.Add(new NumericDocValuesField("_version", 1L));
        document.Add(new StoredField("_primary_term", 1L));
        document.Add(new NumericDocValuesField("_primary_term", 1L));
        return document;
    }

    /// <summary>A string as dynamic mapping indexes it: analyzed text, plus a keyword sub-field (exact, aggregatable, sortable) when short enough.</summary>
    private static void Text(Document document, string name, string value)
    {
        document.Add(new TextField(name, value, Field.Store.NO));
        if (value.Length <= IgnoreAbove)
        {
            document.Add(new StringField(name + ".keyword", value, Field.Store.NO));
            document.Add(new SortedSetDocValuesField(name + ".keyword", new BytesRef(value)));
            document.Add(new SortedDocValuesField("_sort." + name + ".keyword", new BytesRef(value)));
        }
    }

    private static void Long(Document document, string name, long value)
    {
        document.Add(new Int64Field(name, value, Field.Store.NO));
        document.Add(new NumericDocValuesField(name, value));
    }
}
