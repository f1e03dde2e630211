namespace Cloud.Allocator.Containers;

/// <summary>Elasticsearch's heap: half the instance's memory, never above 31 GB so compressed object pointers stay on.</summary>
internal static class HeapSize
{
    public const long MaxHeapMb = 31 * 1024;

    public static long ForMemoryMb(long memoryMb) => Math.Clamp(memoryMb / 2, 1, MaxHeapMb);
}
