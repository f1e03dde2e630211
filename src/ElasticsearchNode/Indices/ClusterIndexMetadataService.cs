using System.Collections.Immutable;
using System.Text.Json;
using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Cluster.State;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Mapping;

namespace Cloud.ElasticsearchNode.Indices;

/// <summary>
/// A cluster node's metadata service: every change goes to the elected master as an
/// <see cref="IndexChange"/> (the master runs the same <see cref="IndexMetadataChanges"/> a lone node
/// runs), and returns once this node has applied the committed state. <see cref="Current"/> is the
/// engine's view of this node's applied cluster state.
/// </summary>
internal sealed class ClusterIndexMetadataService(ClusterNode node) : IIndexMetadataService
{
    private static readonly TimeSpan ApplyTimeout = TimeSpan.FromSeconds(30);
    private MetadataView? _cache;

    public ClusterMetadata Current => ViewOf(node.State);

    /// <summary>The engine metadata of <paramref name="state"/>, converted once per state.</summary>
    public ClusterMetadata ViewOf(ClusterState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var cached = Volatile.Read(ref _cache);
        if (cached is not null && ReferenceEquals(cached.Indices, state.Metadata.Indices))
        {
            return cached.Metadata;
        }

        var metadata = IndexConversion.ToEngine(state);
        Volatile.Write(ref _cache, new MetadataView(state.Metadata.Indices, metadata));
        return metadata;
    }

    public async Task<IndexMetadata> CreateIndexAsync(CreateIndexRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await RunAsync(new IndexChange(IndexChange.Create, [request.Name], request.NumberOfShards, request.NumberOfReplicas,
            Json(request.Mappings), request.Aliases, null, request.Settings), cancellationToken);

        // wait_for_active_shards=1 (the default): the primaries have started somewhere.
        var (_, state) = await node.Coordinator.WaitForAsync(
            s => !s.Metadata.Indices.ContainsKey(request.Name) || s.Routing.Shards.Where(c => c.Index == request.Name && c.Primary && !c.IsRelocationTarget).All(c => c.Active),
            ApplyTimeout, cancellationToken);
        return ViewOf(state).Index(request.Name) ?? throw ElasticsearchException.IndexNotFound(request.Name);
    }

    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        try
        {
            var committed = await node.RunOnMasterAsync(new MasterOperation(MasterOperation.Sync), cancellationToken);
            await node.WaitForAppliedAsync(committed, ApplyTimeout, cancellationToken);
        }
        catch (ClusterException ex)
        {
            throw new ElasticsearchException(ex.Type, ex.Message, ex.Status);
        }
    }

    public Task DeleteIndicesAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken) =>
        RunAsync(new IndexChange(IndexChange.Delete, [.. names]), cancellationToken);

    public async Task<IndexMetadata> PutMappingAsync(string index, TypeMapping update, CancellationToken cancellationToken)
    {
        // Most documents bring no new field: the master would find nothing to change, so do not ask it.
        if (Current.Index(index) is { } known && IndexMetadataChanges.PutMapping(Current, index, update).Index == known)
        {
            return known;
        }

        var state = await RunAsync(new IndexChange(IndexChange.PutMapping, [index], Mappings: Json(update)), cancellationToken);
        return ViewOf(state).Index(index) ?? throw ElasticsearchException.IndexNotFound(index);
    }

    public Task UpdateAliasesAsync(IReadOnlyList<AliasAction> actions, CancellationToken cancellationToken) =>
        RunAsync(new IndexChange(IndexChange.UpdateAliases, AliasActions: actions), cancellationToken);

    public Task UpdateSettingsAsync(IReadOnlyCollection<string> indices, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken) =>
        RunAsync(new IndexChange(IndexChange.UpdateSettings, [.. indices], Settings: settings.ToImmutableSortedDictionary(StringComparer.Ordinal)), cancellationToken);

    private async Task<ClusterState> RunAsync(IndexChange change, CancellationToken cancellationToken)
    {
        try
        {
            var committed = await node.RunOnMasterAsync(new MasterOperation(MasterOperation.IndexChange, Change: change), cancellationToken);
            return await node.WaitForAppliedAsync(committed, ApplyTimeout, cancellationToken);
        }
        catch (ClusterException ex)
        {
            throw new ElasticsearchException(ex.Type, ex.Message, ex.Status);
        }
    }

    private sealed record MetadataView(object Indices, ClusterMetadata Metadata);

    private static JsonElement Json(TypeMapping mapping) => JsonSerializer.SerializeToElement(mapping.ToJson());
}
