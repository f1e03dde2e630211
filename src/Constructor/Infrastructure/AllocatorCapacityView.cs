namespace Cloud.Constructor.Infrastructure;

/// <summary><c>capacity.memory.total_mb</c> / <c>used_mb</c>.</summary>
public sealed record AllocatorCapacityView(MemoryView Memory);
