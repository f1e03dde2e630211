using System.Collections.Immutable;
using Cloud.Runner.Hosting;
using Cloud.ZooKeeper.Recipes;
using Microsoft.Extensions.Options;

namespace Cloud.Runner.Reconcile;

/// <summary>
/// Turns the cache's snapshot of <c>/cloud/containers/&lt;host_id&gt;</c> into parsed, validated
/// definitions, re-parsing only the nodes whose data changed since the last snapshot.
/// </summary>
internal sealed class DesiredSnapshotReader(IOptions<RunnerOptions> options)
{
    private readonly string _dataRoot = options.Value.DataRoot;
    private ImmutableDictionary<string, (long Mzxid, DesiredContainer Desired)> _parsed =
        ImmutableDictionary<string, (long, DesiredContainer)>.Empty.WithComparers(StringComparer.Ordinal);

    public DesiredSnapshot Read(ChildrenSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var parsed = ImmutableDictionary.CreateBuilder<string, (long, DesiredContainer)>(StringComparer.Ordinal);
        var containers = ImmutableSortedDictionary.CreateBuilder<string, DesiredContainer>(StringComparer.Ordinal);
        foreach (var (name, child) in snapshot.Children)
        {
            var entry = _parsed.TryGetValue(name, out var known) && known.Mzxid == child.Stat.Mzxid
                ? known
                : (child.Stat.Mzxid, DesiredContainerParser.Parse(name, child.Data, _dataRoot));
            parsed[name] = entry;
            containers[name] = entry.Item2;
        }

        _parsed = parsed.ToImmutable();
        // A host without a definitions node is not a host whose definitions were all deleted: a wiped or
        // wrong ZooKeeper (connect string, chroot) must not stop every container on the host.
        return new DesiredSnapshot(containers.ToImmutable(), snapshot.Version, snapshot.IsConnected && snapshot.PathExists);
    }
}
