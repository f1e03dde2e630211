namespace Cloud.Allocator.Assignments;

/// <summary>The <c>desired_state</c> values of an assignment.</summary>
internal static class AssignmentStates
{
    public const string Started = "started";
    public const string Stopped = "stopped";
}
