namespace Cloud.ElasticsearchNode.Cluster.State;

internal enum ShardRoutingState
{
    Unassigned,
    Initializing,
    Started,
    Relocating,
}
