namespace Cloud.ElasticsearchNode.Indices;

/// <summary>
/// The one place index metadata changes (create, delete, mappings, aliases, settings). Part 1 applies
/// changes on this node, which is its own master; part 2 routes them to the elected master and applies
/// the cluster state it publishes. Every change is validated first and leaves nothing changed when it fails.
/// </summary>
internal interface IIndexMetadataService
{
    ClusterMetadata Current { get; }

    /// <summary>
    /// Returns once <see cref="Current"/> includes every change committed before the call (a read barrier): a
    /// check of what exists must not answer from a state older than a change another node already acknowledged.
    /// </summary>
    Task SyncAsync(CancellationToken cancellationToken);

    Task<IndexMetadata> CreateIndexAsync(CreateIndexRequest request, CancellationToken cancellationToken);

    Task DeleteIndicesAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken);

    /// <summary>Adds new fields to an index's mappings (a field's type never changes).</summary>
    Task<IndexMetadata> PutMappingAsync(string index, Mapping.TypeMapping update, CancellationToken cancellationToken);

    Task UpdateAliasesAsync(IReadOnlyList<AliasAction> actions, CancellationToken cancellationToken);

    Task UpdateSettingsAsync(IReadOnlyCollection<string> indices, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken);
}
