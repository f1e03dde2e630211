using System.Collections.Immutable;

namespace Cloud.Allocator.Assignments;

/// <summary>Every assignment of this allocator as read in one pass, by instance id.</summary>
internal sealed record AssignmentSnapshot(ImmutableSortedDictionary<string, AssignmentEntry> Entries)
{
    public IEnumerable<AssignmentEntry> Valid => Entries.Values.Where(e => e.IsValid);
}
