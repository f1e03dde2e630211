using System.Diagnostics;
using System.Globalization;

namespace Cloud.ElasticsearchNode;

/// <summary>
/// Honours the heap the platform gives in <c>ES_JAVA_OPTS</c> (<c>-Xmx1g</c>): .NET reads its GC heap
/// hard limit only when the runtime starts, so the node starts itself again with
/// <c>DOTNET_GCHeapHardLimit</c> set, and forwards signals and the exit code.
/// </summary>
internal static class HeapOptions
{
    public const string HardLimitVariable = "DOTNET_GCHeapHardLimit";

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

    /// <summary>
    /// When a heap is asked for and the runtime was started without its limit, runs this program again
    /// with the limit and returns its exit code; returns null when this process should go on itself.
    /// </summary>
    public static async Task<int?> RelaunchWithHeapLimitAsync(long? heapBytes, string[] args)
    {
        if (heapBytes is not { } heap || Environment.GetEnvironmentVariable(HardLimitVariable) is { Length: > 0 }
            || Environment.ProcessPath is not { } self || Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return null;
        }

        var info = new ProcessStartInfo(self) { UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment[HardLimitVariable] = "0x" + heap.ToString("X", CultureInfo.InvariantCulture);
        using var child = Process.Start(info) ?? throw new InvalidOperationException("could not start " + self);
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Forward);
        using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Forward);
        await child.WaitForExitAsync();
        return child.ExitCode;

        void Forward(System.Runtime.InteropServices.PosixSignalContext context)
        {
            // The child shuts down (flushing its shards) and this process exits with it.
            context.Cancel = true;
            SendSignal(child.Id, context.Signal == System.Runtime.InteropServices.PosixSignal.SIGINT ? 2 : 15);
        }
    }

    private static void SendSignal(int pid, int signal) => _ = Kill(pid, signal);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
