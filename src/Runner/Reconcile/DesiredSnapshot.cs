using System.Collections.Immutable;

namespace Cloud.Runner.Reconcile;

/// <summary>
/// Every definition for this host at one version of <c>/cloud/containers/&lt;host_id&gt;</c>.
/// <see cref="IsAuthoritative"/> is false while the runner is cut off from ZooKeeper or has not
/// re-read the definitions since: then nothing may be created, recreated or removed.
/// </summary>
internal sealed record DesiredSnapshot(ImmutableSortedDictionary<string, DesiredContainer> Containers, long Version, bool IsAuthoritative)
{
    public static DesiredSnapshot NotYetRead { get; } = new(ImmutableSortedDictionary<string, DesiredContainer>.Empty, -1, false);
}
