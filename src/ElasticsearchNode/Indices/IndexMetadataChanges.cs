using System.Collections.Immutable;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Mapping;

namespace Cloud.ElasticsearchNode.Indices;

/// <summary>
/// Every index metadata change as a pure function of the current <see cref="ClusterMetadata"/>: validated
/// first, it yields the next metadata (the same instance when nothing changes) or throws and changes
/// nothing. A lone node applies them itself; in a cluster the elected master applies them to its state.
/// </summary>
internal static class IndexMetadataChanges
{
    public static (ClusterMetadata Next, IndexMetadata Index) CreateIndex(ClusterMetadata current, CreateIndexRequest request, long now, string uuid)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(request);
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
        var index = new IndexMetadata(request.Name, uuid, request.NumberOfShards, request.NumberOfReplicas, request.Mappings,
            aliases, request.Settings, now, [.. Enumerable.Repeat(1L, request.NumberOfShards)], 1);
        return (current.WithIndex(index), index);
    }

    public static ClusterMetadata DeleteIndices(ClusterMetadata current, IReadOnlyCollection<string> names)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(names);
        var next = current;
        foreach (var name in names)
        {
            next = current.Index(name) is null ? throw ElasticsearchException.IndexNotFound(name) : next.WithoutIndex(name);
        }

        return next;
    }

    public static (ClusterMetadata Next, IndexMetadata Index) PutMapping(ClusterMetadata current, string index, TypeMapping update)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(update);
        var existing = current.Index(index) ?? throw ElasticsearchException.IndexNotFound(index);
        var merged = existing.Mappings.Merge(update);
        if (merged == existing.Mappings || merged.ToJson().ToJsonString() == existing.Mappings.ToJson().ToJsonString())
        {
            return (current, existing);
        }

        var changed = existing with { Mappings = merged, Version = existing.Version + 1 };
        return (current.WithIndex(changed), changed);
    }

    public static ClusterMetadata UpdateAliases(ClusterMetadata current, IReadOnlyList<AliasAction> actions)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(actions);
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

        return next;
    }

    public static ClusterMetadata UpdateSettings(ClusterMetadata current, IReadOnlyCollection<string> indices, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(settings);
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

        return next;
    }

    public static string NewUuid() =>
        Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('/', '_').Replace('+', '-');

    private static string ValidateTime(string value)
    {
        _ = TimeValue.ParseOrNull(value);
        return value;
    }
}
