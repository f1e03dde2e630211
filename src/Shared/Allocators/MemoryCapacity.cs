namespace Cloud.Shared.Allocators;

/// <summary>Memory an allocator offers to instances, and how much of it assigned instances take.</summary>
public sealed record MemoryCapacity(long TotalMb, long UsedMb)
{
    public long FreeMb => Math.Max(0, TotalMb - UsedMb);
}
