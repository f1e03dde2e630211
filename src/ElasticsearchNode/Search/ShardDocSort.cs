using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Cloud.ElasticsearchNode.Search;

/// <summary>
/// Elasticsearch 8's <c>_shard_doc</c> sort key within a point in time: the shard's place in the point in time in the high
/// 32 bits, the Lucene doc id in the low ones, so every hit of the point in time has its own value and <c>search_after</c>
/// with it as the last key neither repeats nor skips a hit across shards. Doc ids are stable because the point in time
/// pins each shard's reader.
/// </summary>
internal static class ShardDocSort
{
    /// <summary>Where <c>_shard_doc</c> is among the sort keys, or -1.</summary>
    public static int PositionIn(ImmutableArray<SortSpec> sort) =>
        sort.IsDefaultOrEmpty ? -1 : sort.Select((s, i) => (s, i)).Where(p => p.s.Field == SortSpec.ShardDoc).Select(p => p.i).DefaultIfEmpty(-1).First();

    public static long Value(int ordinal, int doc) => ((long)ordinal << 32) | (uint)doc;

    /// <summary>
    /// The <c>search_after</c> values as this shard's Lucene doc sort sees them: the doc id when the cursor is on this shard;
    /// otherwise -1 when the cursor's shard has the lower ordinal (this shard's values are all higher: ascending, every doc
    /// comes after -1; descending, none comes before it) and int.MaxValue when higher (the mirror image), in either order.
    /// </summary>
    public static JsonArray ForShard(JsonArray searchAfter, int position, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(searchAfter);
        var copy = (JsonArray)searchAfter.DeepClone();
        if (position >= copy.Count || copy[position] is null)
        {
            return copy;
        }

        var value = long.Parse(QueryTranslator.ScalarText(copy[position]!) ?? "0", NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var cursorShard = (int)(value >> 32);
        var doc = cursorShard == ordinal
            ? (int)(value & 0xFFFF_FFFF)
            : cursorShard < ordinal ? -1 : int.MaxValue;
        copy[position] = doc;
        return copy;
    }
}
