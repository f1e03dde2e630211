namespace Cloud.ElasticsearchNode;

/// <summary>
/// Honours the heap the platform gives in <c>ES_JAVA_OPTS</c> (<c>-Xmx1g</c>) as the GC heap hard limit.
/// The runtime reads <c>GCHeapHardLimit</c> at start, but <see cref="GC.RefreshMemoryLimit"/> re-reads it
/// from the app context, so the node sets it on itself before building anything (no second process).
/// </summary>
internal static class HeapOptions
{
    private const string HardLimitSetting = "GCHeapHardLimit";

    /// <summary>The last <c>-Xmx</c> in the options, in bytes; null when there is none.</summary>
    public static long? ParseMaxHeap(string? javaOptions)
    {
        long? heap = null;
        foreach (var option in (javaOptions ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (option.StartsWith("-Xmx", StringComparison.Ordinal))
            {
                try
                {
                    heap = ByteSize.Parse(option[4..]);
                }
                catch (FormatException)
                {
                    // The JVM would refuse to start; here the heap stays unbounded rather than the node down.
                }
            }
        }

        return heap;
    }

    /// <summary>Makes <paramref name="heapBytes"/> the GC's hard limit; returns why not when the GC refused it.</summary>
    public static string? Apply(long? heapBytes)
    {
        if (heapBytes is not { } heap || heap <= 0)
        {
            return null;
        }

        AppContext.SetData(HardLimitSetting, (ulong)heap);
        try
        {
            GC.RefreshMemoryLimit();
            return null;
        }
        catch (InvalidOperationException ex)
        {
            // A limit below what is already committed; the JVM would not start either, but a node
            // with an unbounded heap serves rather than leaves its cluster a copy short.
            AppContext.SetData(HardLimitSetting, null);
            return ex.Message;
        }
    }
}
