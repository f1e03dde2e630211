namespace Cloud.ElasticsearchNode.Cluster.State;

/// <summary>
/// One copy of one shard. A relocation is two entries, as in Elasticsearch: the source, RELOCATING on
/// <see cref="NodeId"/> towards <see cref="RelocatingNodeId"/>, and its target, INITIALIZING with
/// <see cref="IsRelocationTarget"/> set and <see cref="RelocatingNodeId"/> pointing back at the source.
/// </summary>
internal sealed record ShardRouting(
    string Index,
    int Shard,
    bool Primary,
    ShardRoutingState State,
    string? NodeId,
    string? RelocatingNodeId = null,
    string? AllocationId = null,
    bool IsRelocationTarget = false,
    string? UnassignedReason = null,
    string? LastNodeId = null,
    long UnassignedSince = 0)
{
    public bool Active => State is ShardRoutingState.Started or ShardRoutingState.Relocating;

    public bool Assigned => NodeId is not null;

    public ShardId Id => new(Index, Shard);

    public static ShardRouting NewUnassigned(string index, int shard, bool primary, string reason, long now) =>
        new(index, shard, primary, ShardRoutingState.Unassigned, null, UnassignedReason: reason, UnassignedSince: now);

    public string Describe() => $"[{Index}][{Shard}], node[{NodeId}], {(Primary ? "[P]" : "[R]")}, s[{State.ToString().ToUpperInvariant()}]";
}
