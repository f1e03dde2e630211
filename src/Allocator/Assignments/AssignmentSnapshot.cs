using System.Collections.Immutable;

namespace Cloud.Allocator.Assignments;

/// <summary>
/// Every assignment of this allocator as read in one pass, by instance id. Not authoritative when
/// <c>/cloud/allocators-work/&lt;allocator_id&gt;</c> does not exist: a wiped ZooKeeper or a wrong connect
/// string is not "nothing assigned", so no definition may be deleted (nor port released) from that view.
/// </summary>
internal sealed record AssignmentSnapshot(ImmutableSortedDictionary<string, AssignmentEntry> Entries, bool IsAuthoritative)
{
    public static AssignmentSnapshot NotAuthoritative { get; } = new(ImmutableSortedDictionary<string, AssignmentEntry>.Empty, false);

    public IEnumerable<AssignmentEntry> Valid => Entries.Values.Where(e => e.IsValid);
}
