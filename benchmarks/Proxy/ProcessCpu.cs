using System.Diagnostics;

namespace Cloud.Proxy.Benchmarks;

/// <summary>
/// CPU time a process has used (user + system, all its threads; /proc on Linux). Read before and after a wrk run,
/// it gives CPU per request: on a machine whose cores are shared with wrk, nginx and other work, that is what decides
/// how many requests a proxy can pass, and it is far less disturbed by the neighbours than requests/s.
/// </summary>
internal static class ProcessCpu
{
    public static TimeSpan Of(Process process)
    {
        try
        {
            process.Refresh();
            return process.HasExited ? TimeSpan.Zero : process.TotalProcessorTime;
        }
        catch (InvalidOperationException)
        {
            return TimeSpan.Zero;
        }
    }
}
