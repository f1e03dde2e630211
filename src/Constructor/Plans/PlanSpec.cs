using System.Collections.Immutable;

namespace Cloud.Constructor.Plans;

/// <summary>
/// A desired plan as users submit it (DESIGN.md, PLAN): the whole topology and version, never a delta.
/// </summary>
public sealed record PlanSpec
{
    public ElasticsearchSpec? Elasticsearch { get; init; }

    public ImmutableArray<TopologyElementSpec> ClusterTopology { get; init; } = [];

    public TransientSpec? Transient { get; init; }

    /// <summary>The version, or an empty string when the plan has none (validation refuses that).</summary>
    public string Version => Elasticsearch?.Version ?? string.Empty;

    /// <summary>Same topology (element by element), whatever the version and transient settings.</summary>
    public bool HasSameTopologyAs(PlanSpec other) =>
        ClusterTopology.Length == other.ClusterTopology.Length
        && ClusterTopology.Zip(other.ClusterTopology).All(p => p.First.IsSameAs(p.Second));
}
