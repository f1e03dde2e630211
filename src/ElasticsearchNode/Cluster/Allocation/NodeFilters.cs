using System.Collections.Immutable;
using Cloud.ElasticsearchNode.Cluster.State;

namespace Cloud.ElasticsearchNode.Cluster.Allocation;

/// <summary>
/// <c>require</c>, <c>include</c> and <c>exclude</c> allocation filters on <c>_name</c>, <c>_ip</c>,
/// <c>_host</c>, <c>_id</c> or a custom attribute, with comma lists and <c>*</c> wildcards, as
/// Elasticsearch applies them: every require filter must match, some include filter must match
/// (when any is set), no exclude filter may match.
/// </summary>
internal sealed record NodeFilters(
    ImmutableSortedDictionary<string, ImmutableArray<string>> Require,
    ImmutableSortedDictionary<string, ImmutableArray<string>> Include,
    ImmutableSortedDictionary<string, ImmutableArray<string>> Exclude)
{
    public static NodeFilters None { get; } = new(
        ImmutableSortedDictionary<string, ImmutableArray<string>>.Empty,
        ImmutableSortedDictionary<string, ImmutableArray<string>>.Empty,
        ImmutableSortedDictionary<string, ImmutableArray<string>>.Empty);

    public bool IsEmpty => Require.Count == 0 && Include.Count == 0 && Exclude.Count == 0;

    /// <param name="prefix"><c>cluster.routing.allocation.</c> or <c>index.routing.allocation.</c>.</param>
    public static NodeFilters From(string prefix, Func<string, string?> lookup, IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var distinct = keys.Distinct(StringComparer.Ordinal).ToList();
        return new NodeFilters(Read(prefix + "require.", lookup, distinct), Read(prefix + "include.", lookup, distinct), Read(prefix + "exclude.", lookup, distinct));
    }

    /// <summary>Null when the node passes, else the first filter that stops it (for allocation explain).</summary>
    public string? Refusal(DiscoveryNode node, string scope)
    {
        ArgumentNullException.ThrowIfNull(node);
        foreach (var (attribute, values) in Require)
        {
            if (!Matches(node, attribute, values))
            {
                return $"node does not match {scope} setting [require.{attribute}:{string.Join(',', values)}]";
            }
        }

        if (Include.Count > 0 && !Include.Any(f => Matches(node, f.Key, f.Value)))
        {
            return $"node does not match {scope} setting [include] filters [{string.Join(" OR ", Include.Select(f => f.Key + ":" + string.Join(',', f.Value)))}]";
        }

        foreach (var (attribute, values) in Exclude)
        {
            if (Matches(node, attribute, values))
            {
                return $"node matches {scope} setting [exclude.{attribute}:{string.Join(',', values)}]";
            }
        }

        return null;
    }

    private static ImmutableSortedDictionary<string, ImmutableArray<string>> Read(string prefix, Func<string, string?> lookup, List<string> keys)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
        foreach (var key in keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var values = (lookup(key) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (values.Length > 0)
            {
                builder[key[prefix.Length..]] = [.. values];
            }
        }

        return builder.ToImmutable();
    }

    private static bool Matches(DiscoveryNode node, string attribute, ImmutableArray<string> patterns)
    {
        var candidates = attribute switch
        {
            "_name" => [node.Name],
            "_id" => [node.Id],
            "_host" => [node.Host, HostOf(node.TransportAddress)],
            "_ip" or "_publish_ip" => [HostOf(node.TransportAddress)],
            _ => node.Attribute(attribute) is { } value ? [value] : Array.Empty<string>(),
        };
        return candidates.Any(c => patterns.Any(p => Wildcard.Matches(p, c)));
    }

    private static string HostOf(string address)
    {
        var colon = address.LastIndexOf(':');
        return colon > 0 ? address[..colon] : address;
    }
}
