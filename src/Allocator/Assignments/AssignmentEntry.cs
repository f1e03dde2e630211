using Cloud.Shared.Allocators;

namespace Cloud.Allocator.Assignments;

/// <summary>One node under <c>/cloud/allocators-work/&lt;allocator_id&gt;</c>: the assignment, or why it could not be read.</summary>
/// <param name="InstanceId">The node's name.</param>
/// <param name="CreatedZxid">Its creation zxid: the order assignments are charged against capacity.</param>
internal sealed record AssignmentEntry(string InstanceId, long CreatedZxid, InstanceAssignment? Assignment, string? Error = null)
{
    public bool IsValid => Assignment is not null;

    public bool WantsRunning => Assignment is { } a && !string.Equals(a.DesiredState, AssignmentStates.Stopped, StringComparison.Ordinal);
}
