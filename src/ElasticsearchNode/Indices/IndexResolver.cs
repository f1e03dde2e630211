using Cloud.ElasticsearchNode.Errors;

namespace Cloud.ElasticsearchNode.Indices;

/// <summary>
/// Resolves index expressions as Elasticsearch does: comma lists, <c>_all</c>/<c>*</c>, wildcards
/// (matching nothing is fine), aliases, and <c>-name</c> exclusions; a concrete name that does not exist is a 404.
/// </summary>
internal static class IndexResolver
{
    public static IReadOnlyList<IndexMetadata> Resolve(ClusterMetadata metadata, string? expression, bool ignoreUnavailable = false, bool allowNoIndices = true)
    {
        var result = new SortedDictionary<string, IndexMetadata>(StringComparer.Ordinal);
        var parts = string.IsNullOrEmpty(expression) ? ["_all"] : expression.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var part in parts)
        {
            if (part.StartsWith('-') && result.Count > 0)
            {
                foreach (var name in result.Keys.Where(n => Matches(part[1..], n)).ToList())
                {
                    result.Remove(name);
                }

                continue;
            }

            if (part is "_all" or "*")
            {
                foreach (var index in metadata.Indices.Values.Where(i => !i.Name.StartsWith('.')))
                {
                    result[index.Name] = index;
                }

                continue;
            }

            if (part.Contains('*', StringComparison.Ordinal))
            {
                foreach (var index in metadata.Indices.Values)
                {
                    if (Matches(part, index.Name) || index.Aliases.Keys.Any(a => Matches(part, a)))
                    {
                        result[index.Name] = index;
                    }
                }

                continue;
            }

            if (metadata.Index(part) is { } concrete)
            {
                result[concrete.Name] = concrete;
                continue;
            }

            var aliased = metadata.WithAlias(part).ToList();
            if (aliased.Count == 0)
            {
                if (ignoreUnavailable)
                {
                    continue;
                }

                throw ElasticsearchException.IndexNotFound(part);
            }

            foreach (var index in aliased)
            {
                result[index.Name] = index;
            }
        }

        if (result.Count == 0 && !allowNoIndices)
        {
            throw ElasticsearchException.IndexNotFound(expression ?? "_all");
        }

        return [.. result.Values];
    }

    /// <summary>The one index a write to <paramref name="name"/> goes to (an alias must point at one index or name a write index).</summary>
    public static IndexMetadata? ResolveWriteIndex(ClusterMetadata metadata, string name)
    {
        if (metadata.Index(name) is { } concrete)
        {
            return concrete;
        }

        var aliased = metadata.WithAlias(name).ToList();
        if (aliased.Count == 0)
        {
            return null;
        }

        if (aliased.Count == 1)
        {
            return aliased[0];
        }

        return aliased.SingleOrDefault(i => i.Aliases[name].IsWriteIndex == true)
            ?? throw ElasticsearchException.IllegalArgument(
                $"no write index is defined for alias [{name}]. The write index may be explicitly disabled using is_write_index=false or the alias points to multiple indices without one being designated as a write index");
    }

    public static bool Matches(string pattern, string name)
    {
        if (!pattern.Contains('*', StringComparison.Ordinal))
        {
            return pattern.Equals(name, StringComparison.Ordinal);
        }

        var pieces = pattern.Split('*');
        var at = 0;
        for (var i = 0; i < pieces.Length; i++)
        {
            var piece = pieces[i];
            if (i == 0)
            {
                if (!name.StartsWith(piece, StringComparison.Ordinal))
                {
                    return false;
                }

                at = piece.Length;
                continue;
            }

            if (i == pieces.Length - 1)
            {
                return name.Length - at >= piece.Length && name.EndsWith(piece, StringComparison.Ordinal);
            }

            var found = name.IndexOf(piece, at, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            at = found + piece.Length;
        }

        return true;
    }
}
