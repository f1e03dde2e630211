using Cloud.ElasticsearchNode.Mapping;

namespace Cloud.ElasticsearchNode.Indices;

/// <summary>
/// Part 1's metadata service: this node is its own master. Changes are made one at a time, computed
/// as a new <see cref="ClusterMetadata"/>, persisted, then applied to the local indices. What is on disk is
/// read and opened by <see cref="RecoverAsync"/>, after the node answers HTTP (until then it holds no index).
/// </summary>
internal sealed class LocalIndexMetadataService : IIndexMetadataService, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly MetadataStore _store;
    private readonly IndicesService _indices;
    private readonly TimeProvider _time;
    private volatile ClusterMetadata _current;

    public LocalIndexMetadataService(NodeSettings settings, NodeIdentity identity, IndicesService indices, TimeProvider time)
    {
        _store = new MetadataStore(settings.DataPath);
        _indices = indices;
        _time = time;
        _current = ClusterMetadata.Empty(identity.ClusterUuid);
    }

    /// <summary>
    /// Reads the persisted metadata and opens every local shard (replaying translogs); changes wait behind it.
    /// Runs once, at start, off the request path.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var stored = _store.Load() ?? _current;
            _indices.Apply(stored);
            _current = stored;
        }
        finally
        {
            _gate.Release();
        }
    }

    public ClusterMetadata Current => _current;

    /// <summary>A lone node is its own master: what it has applied is all there is.</summary>
    public Task SyncAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IndexMetadata> CreateIndexAsync(CreateIndexRequest request, CancellationToken cancellationToken) =>
        ChangeAsync(current => IndexMetadataChanges.CreateIndex(current, request, _time.GetUtcNow().ToUnixTimeMilliseconds(), IndexMetadataChanges.NewUuid()), cancellationToken);

    public Task DeleteIndicesAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken) =>
        ChangeAsync(current => (IndexMetadataChanges.DeleteIndices(current, names), true), cancellationToken);

    public Task<IndexMetadata> PutMappingAsync(string index, TypeMapping update, CancellationToken cancellationToken) =>
        ChangeAsync(current => IndexMetadataChanges.PutMapping(current, index, update), cancellationToken);

    public Task UpdateAliasesAsync(IReadOnlyList<AliasAction> actions, CancellationToken cancellationToken) =>
        ChangeAsync(current => (IndexMetadataChanges.UpdateAliases(current, actions), true), cancellationToken);

    public Task UpdateSettingsAsync(IReadOnlyCollection<string> indices, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken) =>
        ChangeAsync(current => (IndexMetadataChanges.UpdateSettings(current, indices, settings), true), cancellationToken);

    private async Task<T> ChangeAsync<T>(Func<ClusterMetadata, (ClusterMetadata Next, T Result)> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var current = _current;
            var (next, result) = change(current);
            if (!ReferenceEquals(next, current))
            {
                _store.Save(next);
                _indices.Apply(next);
                _current = next;
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
