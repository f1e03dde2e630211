namespace Cloud.ElasticsearchNode.Cluster.State;

internal readonly record struct ShardId(string Index, int Shard)
{
    public override string ToString() => $"[{Index}][{Shard}]";
}
