namespace Cloud.Shared.Allocators;

/// <summary><c>capacity.memory.total_mb</c> / <c>used_mb</c>, as the API shows it.</summary>
public sealed record AllocatorCapacity(MemoryCapacity Memory);
