using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Cloud.ElasticsearchNode.Hosting;

/// <summary>
/// Logs, once the node answers HTTP, how long the start took, when each phase ended and how much of it was the JIT:
/// the start time is a platform target (a new instance is routable within a second), and this line says where it went.
/// </summary>
internal sealed partial class StartupReport
{
    private readonly DateTime _processStart = Process.GetCurrentProcess().StartTime.ToUniversalTime();
    private readonly StringBuilder _phases = new();

    /// <summary>Notes that a phase ended now, in ms since the process started.</summary>
    public void Mark(string phase) =>
        _phases.Append(CultureInfo.InvariantCulture, $"{(_phases.Length == 0 ? "" : ", ")}{phase} {ElapsedMs()}");

    public void Log(ILogger logger)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var elapsed = ElapsedMs();
        var methods = JitInfo.GetCompiledMethodCount();
        var jitMs = (long)JitInfo.GetCompilationTime().TotalMilliseconds;
        var collections = GC.CollectionCount(0);
        // CPU of every thread so far: on a shared, loaded machine the wall time swings with the load, the CPU much less.
        var cpuMs = (long)Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        var phases = _phases.ToString();
        LogStarted(logger, elapsed, cpuMs, methods, jitMs, collections, phases);
    }

    private long ElapsedMs() => (long)(DateTime.UtcNow - _processStart).TotalMilliseconds;

    [LoggerMessage(Level = LogLevel.Information, Message = "node started {Elapsed} ms after the process ({CpuMs} ms CPU): {Methods} methods compiled by the JIT in {JitMs} ms, {Collections} GCs; phases (ms after the process): {Phases}")]
    private static partial void LogStarted(ILogger logger, long elapsed, long cpuMs, long methods, long jitMs, int collections, string phases);
}
