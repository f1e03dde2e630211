using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Cloud.ElasticsearchNode.Search;

/// <summary>
/// A parsed search body. The query stays JSON: each shard translates it against its own index's
/// mappings (so the request can be sent as is to the nodes holding the shards).
/// </summary>
internal sealed record SearchRequest
{
    public const int DefaultTrackTotalHits = 10_000;

    public JsonObject? Query { get; init; }

    public int From { get; init; }

    public int Size { get; init; } = 10;

    public ImmutableArray<SortSpec> Sort { get; init; } = [];

    public SourceFilter Source { get; init; } = SourceFilter.All;

    /// <summary>Exact up to this many hits; <c>int.MaxValue</c> for <c>true</c>, null for <c>false</c>.</summary>
    public int? TrackTotalHits { get; init; } = DefaultTrackTotalHits;

    public ImmutableArray<AggregationSpec> Aggregations { get; init; } = [];

    public JsonArray? SearchAfter { get; init; }

    public double? MinScore { get; init; }

    public bool Version { get; init; }

    public bool SeqNoPrimaryTerm { get; init; }

    /// <summary>The point in time the search reads (no index in the path then), or null.</summary>
    public PitSpec? Pit { get; init; }

    /// <summary>The <c>preference</c> parameter; <c>_only_local</c> reads only the copies on the node that coordinates the search.</summary>
    public string? Preference { get; init; }

    public bool SortsByScore => Sort.IsEmpty || Sort.Any(s => s.Field == SortSpec.Score);
}
