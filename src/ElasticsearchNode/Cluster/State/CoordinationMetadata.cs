using System.Collections.Immutable;

namespace Cloud.ElasticsearchNode.Cluster.State;

/// <summary>
/// Who votes. A change of the voting configuration is first accepted (published with the new
/// configuration as <see cref="LastAcceptedConfig"/>) and becomes <see cref="LastCommittedConfig"/>
/// once committed; until then elections and publications need a majority of both.
/// </summary>
internal sealed record CoordinationMetadata(
    long Term,
    ImmutableSortedSet<string> LastCommittedConfig,
    ImmutableSortedSet<string> LastAcceptedConfig,
    ImmutableArray<VotingConfigExclusion> Exclusions)
{
    public static CoordinationMetadata Empty { get; } = new(0, [], [], []);

    public static bool IsQuorum(IEnumerable<string> votes, ImmutableSortedSet<string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Count > 0 && votes.Distinct(StringComparer.Ordinal).Count(config.Contains) * 2 > config.Count;
    }

    /// <summary>A majority of both configurations, as elections and publications require.</summary>
    public bool HasQuorum(IReadOnlyCollection<string> votes) =>
        IsQuorum(votes, LastCommittedConfig) && IsQuorum(votes, LastAcceptedConfig);
}
