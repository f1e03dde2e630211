using System.Collections.Immutable;

namespace Cloud.ZooKeeper.Recipes;

/// <summary>Computes which children were added, updated (data or version changed) and removed.</summary>
internal static class ChildrenDiff
{
    public static ChildrenChange Compute(
        ImmutableDictionary<string, ChildData> before, ImmutableDictionary<string, ChildData> after, ChildrenSnapshot snapshot)
    {
        var added = after.Keys.Where(name => !before.ContainsKey(name)).Order(StringComparer.Ordinal).ToImmutableArray();
        var removed = before.Keys.Where(name => !after.ContainsKey(name)).Order(StringComparer.Ordinal).ToImmutableArray();
        var updated = after
            .Where(pair => before.TryGetValue(pair.Key, out var old) && IsChanged(old, pair.Value))
            .Select(pair => pair.Key)
            .Order(StringComparer.Ordinal)
            .ToImmutableArray();
        return new ChildrenChange(added, updated, removed, snapshot);
    }

    private static bool IsChanged(ChildData before, ChildData after) =>
        before.Stat.Mzxid != after.Stat.Mzxid
        || before.Stat.Czxid != after.Stat.Czxid
        || !before.Data.AsSpan().SequenceEqual(after.Data);
}
