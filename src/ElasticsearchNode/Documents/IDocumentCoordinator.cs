using Cloud.ElasticsearchNode.Engine;

namespace Cloud.ElasticsearchNode.Documents;

/// <summary>
/// Where document reads and writes go, whatever node received them. Part 1 runs them on the local
/// shards; part 2 sends each shard's items to the node holding its primary and replicates from there.
/// </summary>
internal interface IDocumentCoordinator
{
    /// <summary>Runs the writes (results in request order; one item's failure does not fail the others), durable before it returns.</summary>
    Task<IReadOnlyList<WriteItemResult>> WriteAsync(IReadOnlyList<WriteRequest> requests, RefreshPolicy refresh, CancellationToken cancellationToken);

    /// <summary>A document by id (real time: sees writes not yet refreshed), or null.</summary>
    Task<StoredDocument?> GetAsync(string index, string id, string? routing, bool realtime, CancellationToken cancellationToken);
}
