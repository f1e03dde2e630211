namespace Cloud.ElasticsearchNode.Engine;

/// <summary>
/// Elasticsearch's document routing: <c>floorMod(murmur3(routing ?? id), routingNumShards) / routingFactor</c>,
/// where the routing shard count is the shard count doubled up to 1024 (so the index could be split).
/// </summary>
internal static class ShardRouting
{
    public static int ShardFor(string id, string? routing, int numberOfShards)
    {
        var routingShards = RoutingNumShards(numberOfShards);
        var factor = routingShards / numberOfShards;
        var hash = Murmur3.Hash(routing ?? id);
        return (int)((((long)hash % routingShards) + routingShards) % routingShards) / factor;
    }

    /// <summary>The largest <c>shards * 2^n ≤ 1024</c> (with n ≥ 1), as Elasticsearch 7+ picks by default.</summary>
    public static int RoutingNumShards(int numberOfShards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numberOfShards, 1);
        var log2Shards = 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)(numberOfShards - 1));
        var splits = Math.Max(1, 10 - log2Shards);
        return numberOfShards << splits;
    }
}
