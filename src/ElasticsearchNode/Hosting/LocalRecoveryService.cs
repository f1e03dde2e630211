using System.Diagnostics;
using Cloud.ElasticsearchNode.Indices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloud.ElasticsearchNode.Hosting;

/// <summary>
/// A lone node's start-up recovery, run once HTTP is bound: reads the cluster metadata and opens every local shard
/// (replaying its translog). It waits for the host to have started so that it does not compete for the CPU with
/// binding HTTP on a small, loaded machine. A failure is fatal, as it was when the node opened its indices before
/// listening: the host stops.
/// </summary>
internal sealed partial class LocalRecoveryService(LocalIndexMetadataService metadata, StartupRecovery recovery, IHostApplicationLifetime lifetime,
    ILogger<LocalRecoveryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        var watch = Stopwatch.StartNew();
        try
        {
            await metadata.RecoverAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            recovery.MarkFailed(ex);
            LogFailed(logger, ex);
            throw;
        }

        recovery.MarkRecovered();
        LogRecovered(logger, metadata.Current.Indices.Count, (long)watch.Elapsed.TotalMilliseconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "local state recovered: {Indices} indices opened in {Ms} ms after HTTP was bound")]
    private static partial void LogRecovered(ILogger logger, int indices, long ms);

    [LoggerMessage(Level = LogLevel.Critical, Message = "local state could not be recovered; stopping")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
