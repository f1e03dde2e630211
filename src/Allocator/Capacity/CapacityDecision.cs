namespace Cloud.Allocator.Capacity;

/// <summary>The verdict on one assignment, the memory it is charged, and why when it was not accepted as asked.</summary>
internal sealed record CapacityDecision(string InstanceId, CapacityVerdict Verdict, long ChargedMb, string? Reason = null);
