using System.Diagnostics;
using System.Runtime;
using Microsoft.Extensions.Logging;

namespace Cloud.ElasticsearchNode.Hosting;

/// <summary>
/// Logs, once the node answers HTTP, how long the start took and how much of it was the JIT: the start time is a
/// platform target (a new instance is routable within a second), and this line says where it went.
/// </summary>
internal static partial class StartupReport
{
    public static void Log(ILogger logger)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var elapsed = DateTime.Now - Process.GetCurrentProcess().StartTime;
        var methods = JitInfo.GetCompiledMethodCount();
        var jitMs = (long)JitInfo.GetCompilationTime().TotalMilliseconds;
        var collections = GC.CollectionCount(0);
        LogStarted(logger, (long)elapsed.TotalMilliseconds, methods, jitMs, collections);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "node started {Elapsed} ms after the process: {Methods} methods compiled by the JIT in {JitMs} ms, {Collections} GCs")]
    private static partial void LogStarted(ILogger logger, long elapsed, long methods, long jitMs, int collections);
}
