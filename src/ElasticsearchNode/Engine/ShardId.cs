namespace Cloud.ElasticsearchNode.Engine;

/// <summary>One shard of one index, named as Elasticsearch names it: <c>[index][n]</c>.</summary>
internal sealed record ShardId(string Index, string IndexUuid, int Shard)
{
    public override string ToString() => $"[{Index}][{Shard}]";
}
