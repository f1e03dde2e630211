namespace Cloud.Constructor.Elasticsearch;

/// <summary>A row of <c>GET _cat/shards?format=json</c>; <see cref="Node"/> may read <c>a -&gt; b</c> while relocating.</summary>
public sealed record CatShard
{
    public string? Index { get; init; }

    public string? Shard { get; init; }

    public string? Prirep { get; init; }

    public string? State { get; init; }

    public string? Node { get; init; }
}
