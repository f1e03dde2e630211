using Cloud.Allocator.Configuration;
using Cloud.Allocator.Coordination;
using Cloud.Allocator.Registration;
using Cloud.Shared.Hosting;
using Cloud.Shared.Telemetry;
using Cloud.ZooKeeper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloud.Allocator.Assignments;

/// <summary>
/// The allocator's loop: a reconcile pass whenever a watch fires, the session changes or the probe
/// interval passes; jittered backoff after a failed pass. It never touches containers, and a lost
/// ZooKeeper only pauses it: definitions stay, so the runner keeps every instance running.
/// </summary>
internal sealed partial class AllocatorAgent(
    IZooKeeperClientSource clientSource,
    AllocatorReconciler reconciler,
    AllocatorAdvertiser advertiser,
    ReconcileSignal signal,
    ResolvedAllocatorOptions options,
    TimeProvider timeProvider,
    RoleTelemetry telemetry,
    ILogger<AllocatorAgent> logger) : BackgroundService
{
    // The one jittered backoff of the platform: 200 ms doubling up to 10 s.
    private static readonly Backoff Retry = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarting(options.AllocatorId, options.HostId, options.Zone, options.MemoryCapacityMb, options.DataRoot);
        ZooKeeperClient? subscribed = null;
        var failures = 0;
        long pass = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var client = await clientSource.GetClientAsync(stoppingToken);
                    if (!ReferenceEquals(client, subscribed))
                    {
                        if (subscribed is not null)
                        {
                            subscribed.ConnectionStateChanged -= OnConnectionStateChanged;
                        }

                        client.ConnectionStateChanged += OnConnectionStateChanged;
                        subscribed = client;
                    }

                    using (logger.BeginScope(new Dictionary<string, object> { ["allocator_id"] = options.AllocatorId, ["pass"] = ++pass }))
                    using (var timing = telemetry.StartReconcilePass())
                    {
                        await reconciler.ReconcileAsync(client, stoppingToken);
                        timing.Succeeded();
                    }

                    if (failures > 0)
                    {
                        LogRecovered(failures);
                    }

                    failures = 0;
                    await signal.WaitAsync(options.ProbeInterval, timeProvider, stoppingToken);
                }
                catch (Exception ex) when (ErrorPolicy.IsRetried(ex, stoppingToken))
                {
                    failures++;
                    var delay = Retry.Delay(failures);
                    LogPassFailed(ex, failures, delay.TotalMilliseconds);
                    await Task.Delay(delay, timeProvider, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: definitions stay as they are, so the runner keeps every instance running.
        }
        finally
        {
            if (subscribed is not null)
            {
                subscribed.ConnectionStateChanged -= OnConnectionStateChanged;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await advertiser.DisposeAsync();
        LogStopped(options.AllocatorId);
    }

    private void OnConnectionStateChanged(ConnectionStateChange change)
    {
        LogConnectionState(change.State, change.IsNewSession);
        if (change.State == ConnectionState.Connected)
        {
            signal.Notify();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Allocator {AllocatorId} for host {HostId} in {Zone}: {CapacityMb} MB, data root {DataRoot}")]
    private partial void LogStarting(string allocatorId, string hostId, string zone, long capacityMb, string dataRoot);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconcile pass failed ({Failures} in a row); retrying in {DelayMs:0} ms")]
    private partial void LogPassFailed(Exception exception, int failures, double delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconcile passes succeed again after {Failures} failures")]
    private partial void LogRecovered(int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "ZooKeeper connection {State} (new session: {IsNewSession})")]
    private partial void LogConnectionState(ConnectionState state, bool isNewSession);

    [LoggerMessage(Level = LogLevel.Information, Message = "Allocator {AllocatorId} stopped; its instances keep running")]
    private partial void LogStopped(string allocatorId);
}
