namespace Cloud.Allocator.Capacity;

/// <summary>One assignment asking for memory.</summary>
/// <param name="InstanceId">The assignment's node name under <c>/cloud/allocators-work/&lt;id&gt;</c>.</param>
/// <param name="MemoryMb">What the assignment asks for now.</param>
/// <param name="CreatedZxid">When the constructor created the assignment (<c>Stat.Czxid</c>): older assignments come first.</param>
/// <param name="InForceMemoryMb">The memory of the container definition already written for it, if any.</param>
/// <param name="Refusal">Why the assignment can never run as asked (its image, say): refused and charged nothing, or, when a definition is in force, kept as it runs.</param>
internal sealed record CapacityRequest(string InstanceId, long MemoryMb, long CreatedZxid, long? InForceMemoryMb = null, string? Refusal = null);
