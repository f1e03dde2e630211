using System.Collections.Immutable;

namespace Cloud.Constructor.Placement;

/// <summary>An allocator as placement sees it: where it is, what it offers, whether it may take work.</summary>
public sealed record AllocatorCandidate(
    string AllocatorId,
    string Zone,
    long TotalMb,
    long UsedMb,
    ImmutableSortedDictionary<string, string> Tags,
    bool MaintenanceMode = false,
    bool Connected = true)
{
    public long FreeMb => Math.Max(0, TotalMb - UsedMb);

    /// <summary>Whether new instances may go there at all (whatever their size).</summary>
    public bool IsAvailable => Connected && !MaintenanceMode;

    public bool HasTags(ImmutableSortedDictionary<string, string> required) =>
        required.All(t => Tags.TryGetValue(t.Key, out var value) && value == t.Value);
}
