using Cloud.ElasticsearchNode.Indices;
using Cloud.ElasticsearchNode.Search;
using Microsoft.Extensions.Hosting;

namespace Cloud.ElasticsearchNode.Hosting;

/// <summary>The node's clock: periodic refreshes (each index's <c>refresh_interval</c>), large-translog flushes, expired scrolls.</summary>
internal sealed class MaintenanceService(IndicesService indices, LocalSearchCoordinator search, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>On shutdown the shards are flushed and closed here, while the host stops, not later at container disposal.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        indices.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                indices.Maintain(time.GetUtcNow());
                search.PurgeExpired();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }
}
