using System.Globalization;
using System.Text;

namespace Cloud.ElasticsearchNode.Benchmarks;

/// <summary>
/// The NDJSON bulk bodies of a run, built before any clock starts: the node's clients send them as they are
/// and the raw Lucene.Net peer indexes from the same bytes, so neither side pays for making documents.
/// </summary>
internal static class BulkBodies
{
    public const int BulkSize = 1000;

    public static IReadOnlyList<byte[]> Prepare(int from, int count)
    {
        var bodies = new List<byte[]>();
        for (var start = from; start < from + count; start += BulkSize)
        {
            var body = new StringBuilder();
            for (var i = start; i < Math.Min(start + BulkSize, from + count); i++)
            {
                body.Append("{\"index\":{\"_id\":\"").Append(i.ToString(CultureInfo.InvariantCulture)).Append("\"}}\n")
                    .Append(DocumentGenerator.Json(i)).Append('\n');
            }

            bodies.Add(Encoding.UTF8.GetBytes(body.ToString()));
        }

        return bodies;
    }

    /// <summary>The (action line, source line) pairs of one body.</summary>
    public static IEnumerable<(ReadOnlyMemory<byte> Action, ReadOnlyMemory<byte> Source)> Pairs(byte[] body)
    {
        ReadOnlyMemory<byte> remaining = body;
        while (!remaining.IsEmpty)
        {
            var action = NextLine(ref remaining);
            var source = NextLine(ref remaining);
            yield return (action, source);
        }
    }

    private static ReadOnlyMemory<byte> NextLine(ref ReadOnlyMemory<byte> remaining)
    {
        var end = remaining.Span.IndexOf((byte)'\n');
        var line = end < 0 ? remaining : remaining[..end];
        remaining = end < 0 ? ReadOnlyMemory<byte>.Empty : remaining[(end + 1)..];
        return line;
    }
}
