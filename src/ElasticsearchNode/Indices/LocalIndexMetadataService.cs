using System.Collections.Immutable;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Mapping;

namespace Cloud.ElasticsearchNode.Indices;

/// <summary>
/// Part 1's metadata service: this node is its own master. Changes are made one at a time, computed
/// as a new <see cref="ClusterMetadata"/>, persisted, then applied to the local indices.
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
        _current = _store.Load() ?? ClusterMetadata.Empty(identity.ClusterUuid);
        _indices.Apply(_current);
    }

    public ClusterMetadata Current => _current;

    public Task<IndexMetadata> CreateIndexAsync(CreateIndexRequest request, CancellationToken cancellationToken) =>
        ChangeAsync(current =>
        {
            IndexNames.Validate(request.Name);
            if (current.Index(request.Name) is { } existing)
            {
                throw ElasticsearchException.IndexExists(request.Name, existing.Uuid);
            }

            if (current.IsAlias(request.Name))
            {
                throw ElasticsearchException.InvalidIndexName(request.Name, "already exists as alias");
            }

            if (request.NumberOfShards is < 1 or > 1024)
            {
                throw ElasticsearchException.IllegalArgument($"Failed to parse value [{request.NumberOfShards}] for setting [index.number_of_shards] must be >= 1 and <= 1024");
            }

            if (request.NumberOfReplicas < 0)
            {
                throw ElasticsearchException.IllegalArgument($"Failed to parse value [{request.NumberOfReplicas}] for setting [index.number_of_replicas] must be >= 0");
            }

            var aliases = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, request.Aliases.Select(a => KeyValuePair.Create(a.Name, a)));
            var index = new IndexMetadata(request.Name, NewUuid(), request.NumberOfShards, request.NumberOfReplicas, request.Mappings,
                aliases, request.Settings, _time.GetUtcNow().ToUnixTimeMilliseconds(), [.. Enumerable.Repeat(1L, request.NumberOfShards)], 1);
            return (current.WithIndex(index), index);
        }, cancellationToken);

    public Task DeleteIndicesAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken) =>
        ChangeAsync(current =>
        {
            var next = current;
            foreach (var name in names)
            {
                next = current.Index(name) is null ? throw ElasticsearchException.IndexNotFound(name) : next.WithoutIndex(name);
            }

            return (next, true);
        }, cancellationToken);

    public Task<IndexMetadata> PutMappingAsync(string index, TypeMapping update, CancellationToken cancellationToken) =>
        ChangeAsync(current =>
        {
            var existing = current.Index(index) ?? throw ElasticsearchException.IndexNotFound(index);
            var merged = existing.Mappings.Merge(update);
            if (merged == existing.Mappings || merged.ToJson().ToJsonString() == existing.Mappings.ToJson().ToJsonString())
            {
                return (current, existing);
            }

            var changed = existing with { Mappings = merged, Version = existing.Version + 1 };
            return (current.WithIndex(changed), changed);
        }, cancellationToken);

    public Task UpdateAliasesAsync(IReadOnlyList<AliasAction> actions, CancellationToken cancellationToken) =>
        ChangeAsync(current =>
        {
            var next = current;
            foreach (var action in actions)
            {
                var index = next.Index(action.Index) ?? throw ElasticsearchException.IndexNotFound(action.Index);
                if (action.Add)
                {
                    if (next.Index(action.Alias.Name) is not null)
                    {
                        throw ElasticsearchException.InvalidIndexName(action.Alias.Name, "an index exists with the same name as the alias");
                    }

                    index = index with { Aliases = index.Aliases.SetItem(action.Alias.Name, action.Alias), Version = index.Version + 1 };
                }
                else
                {
                    if (!index.Aliases.ContainsKey(action.Alias.Name))
                    {
                        throw new ElasticsearchException("aliases_not_found_exception", $"aliases [{action.Alias.Name}] missing", 404, action.Index);
                    }

                    index = index with { Aliases = index.Aliases.Remove(action.Alias.Name), Version = index.Version + 1 };
                }

                next = next.WithIndex(index);
            }

            return (next, true);
        }, cancellationToken);

    public Task UpdateSettingsAsync(IReadOnlyCollection<string> indices, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken) =>
        ChangeAsync(current =>
        {
            var next = current;
            foreach (var name in indices)
            {
                var index = next.Index(name) ?? throw ElasticsearchException.IndexNotFound(name);
                foreach (var (key, value) in settings)
                {
                    index = key switch
                    {
                        "index.number_of_replicas" => index with { NumberOfReplicas = int.TryParse(value, out var replicas) && replicas >= 0 ? replicas : throw ElasticsearchException.IllegalArgument($"Failed to parse value [{value}] for setting [index.number_of_replicas]") },
                        "index.number_of_shards" => throw ElasticsearchException.IllegalArgument($"final {name} setting [index.number_of_shards], not updateable"),
                        IndexMetadata.RefreshIntervalSetting => index with { Settings = index.Settings.SetItem(key, ValidateTime(value)) },
                        _ => index with { Settings = index.Settings.SetItem(key, value) },
                    };
                }

                next = next.WithIndex(index with { Version = index.Version + 1 });
            }

            return (next, true);
        }, cancellationToken);

    private static string ValidateTime(string value)
    {
        _ = TimeValue.ParseOrNull(value);
        return value;
    }

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

    private static string NewUuid() =>
        Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('/', '_').Replace('+', '-');
}
