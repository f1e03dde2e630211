using System.Threading.Channels;
using Cloud.Runner.Docker;
using Cloud.Runner.Publishing;
using Cloud.Runner.Reconcile;
using Cloud.Runner.Registration;
using Cloud.Shared.Coordination;
using Cloud.Shared.Hosting;
using Cloud.ZooKeeper;
using Cloud.ZooKeeper.Recipes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Runner.Hosting;

/// <summary>
/// The runner's life: register, follow the host's definitions and the engine's events, and run a
/// reconcile pass on every change of either and at least every <see cref="RunnerOptions.ResyncInterval"/>.
/// Stopping the runner leaves every container running: workloads outlive their runner.
/// </summary>
internal sealed partial class RunnerService(
    ZooKeeperConnection connection,
    IContainerRuntime runtime,
    RunnerRegistrar registrar,
    DesiredSnapshotReader reader,
    ContainerReconciler reconciler,
    InspectPublisher publisher,
    RestartBook restarts,
    IOptions<RunnerOptions> options,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly RunnerOptions _options = options.Value;
    private readonly ILogger _logger = loggerFactory.CreateLogger<RunnerService>();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private DesiredSnapshot _desired = DesiredSnapshot.NotYetRead;
    private long _passes;

    /// <summary>The last pass's result, for tests and diagnostics.</summary>
    public ReconcilePass? LastPass { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(_options.DataRoot);
        for (var failures = 0; ; failures++)
        {
            try
            {
                await FollowAndReconcileAsync(stoppingToken);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                LogStopping(_options.HostId);
                return;
            }
            catch (ZooKeeperException ex)
            {
                // Losing ZooKeeper while registering or loading the definitions must not stop the
                // runner (nor, through it, any container): start over once ZooKeeper answers again.
                var delay = RetryDelay(failures);
                LogFollowFailed(ex.Message, delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, timeProvider, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    LogStopping(_options.HostId);
                    return;
                }
            }
        }
    }

    private async Task FollowAndReconcileAsync(CancellationToken stoppingToken)
    {
        var client = await connection.GetClientAsync(stoppingToken);
        await using var registration = await registrar.RegisterAsync(client, stoppingToken);
        await using var cache = new ChildrenCache(client, CloudPaths.ContainersOf(_options.HostId), loggerFactory.CreateLogger<ChildrenCache>(), createIfMissing: false);
        client.ConnectionStateChanged += OnConnectionStateChanged;
        try
        {
            await cache.StartAsync(stoppingToken);
            using var failed = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var loops = new[]
            {
                FollowDefinitionsAsync(client, cache, failed.Token),
                FollowEngineAsync(failed.Token),
                ReconcileLoopAsync(client, registration, failed.Token),
            };
            var first = await Task.WhenAny(loops);
            await failed.CancelAsync();
            await Task.WhenAll(loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await first;
        }
        finally
        {
            client.ConnectionStateChanged -= OnConnectionStateChanged;
            Volatile.Write(ref _desired, Volatile.Read(ref _desired) with { IsAuthoritative = false });
        }
    }

    private void OnConnectionStateChanged(ConnectionStateChange change)
    {
        if (change.State != ConnectionState.Connected)
        {
            // Stop acting at once; only a snapshot re-read after reconnecting makes the definitions authoritative again.
            var current = Volatile.Read(ref _desired);
            Volatile.Write(ref _desired, current with { IsAuthoritative = false });
            LogCoordinationLost(change.State);
        }
    }

    private async Task FollowDefinitionsAsync(ZooKeeperClient client, ChildrenCache cache, CancellationToken cancellationToken)
    {
        await foreach (var snapshot in cache.WatchAsync(cancellationToken))
        {
            var desired = reader.Read(snapshot);

            // A snapshot queued before the connection dropped must not make the definitions authoritative again.
            desired = desired with { IsAuthoritative = desired.IsAuthoritative && client.State == ConnectionState.Connected };
            Volatile.Write(ref _desired, desired);
            LogDefinitions(desired.Containers.Count, desired.Version, desired.IsAuthoritative);
            Wake();
        }
    }

    private async Task FollowEngineAsync(CancellationToken cancellationToken)
    {
        for (var failures = 0; ; failures++)
        {
            try
            {
                await foreach (var runtimeEvent in runtime.WatchAsync(_options.HostId, cancellationToken))
                {
                    failures = 0;
                    LogEngineEvent(runtimeEvent.ContainerName, runtimeEvent.Action);
                    Wake();
                }
            }
            catch (ContainerRuntimeException ex)
            {
                LogEngineEventsLost(ex.Message);
            }

            // Something may have happened while the stream was down: look again.
            Wake();
            await Task.Delay(RetryDelay(failures), timeProvider, cancellationToken);
        }
    }

    private async Task ReconcileLoopAsync(ZooKeeperClient client, EphemeralRegistration registration, CancellationToken cancellationToken)
    {
        for (var failures = 0; ;)
        {
            var wait = _options.ResyncInterval;
            var desired = Volatile.Read(ref _desired);

            // The liveness node is this runner's lease on the host: while another session holds it (a
            // second runner with the same host id, or our own previous, not yet expired session) we only watch.
            if (desired.IsAuthoritative && !registration.IsRegistered)
            {
                LogNotHoldingHost(_options.HostId);
                desired = desired with { IsAuthoritative = false };
            }
            var pass = Interlocked.Increment(ref _passes);
            using (_logger.BeginScope(new Dictionary<string, object> { ["HostId"] = _options.HostId, ["Pass"] = pass, ["DesiredVersion"] = desired.Version }))
            {
                try
                {
                    var result = await reconciler.ReconcileAsync(desired, cancellationToken);
                    LastPass = result;
                    if (desired.IsAuthoritative && Volatile.Read(ref _desired).IsAuthoritative)
                    {
                        var observations = ObservationBuilder.Build(result, restarts, timeProvider.GetUtcNow());
                        await publisher.PublishAsync(client, observations, cancellationToken);
                    }

                    failures = 0;
                    if (result.NextDueAt is { } due)
                    {
                        wait = TimeSpan.FromTicks(Math.Clamp((due - timeProvider.GetUtcNow()).Ticks, TimeSpan.FromMilliseconds(10).Ticks, wait.Ticks));
                    }
                }
                catch (ContainerRuntimeException ex)
                {
                    LogPassFailed(ex.Message);
                    wait = RetryDelay(failures++);
                }
                catch (ZooKeeperException ex)
                {
                    LogPassFailed(ex.Message);
                    wait = RetryDelay(failures++);
                }
            }

            await WaitForWakeAsync(wait, cancellationToken);
        }
    }

    private async Task WaitForWakeAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(wait, timeProvider);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await _wake.Reader.WaitToReadAsync(either.Token);
            _wake.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The wait ran out: time for the periodic pass.
        }
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    private TimeSpan RetryDelay(int failures)
    {
        var ceiling = _options.RetryDelay * 10;
        var delay = TimeSpan.FromTicks(Math.Min(ceiling.Ticks, _options.RetryDelay.Ticks << Math.Min(failures, 10)));
        return delay * (0.5 + (Random.Shared.NextDouble() / 2));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Definitions: {Count} at version {Version} (authoritative: {Authoritative})")]
    private partial void LogDefinitions(int count, long version, bool authoritative);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ZooKeeper connection {State}: keeping every container as it is until the definitions are re-read")]
    private partial void LogCoordinationLost(ConnectionState state);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Engine event {Action} on {Name}")]
    private partial void LogEngineEvent(string? name, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the engine's event stream: {Reason}; resubscribing")]
    private partial void LogEngineEventsLost(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost ZooKeeper while following the definitions: {Reason}; starting over in {DelayMs:0} ms")]
    private partial void LogFollowFailed(string reason, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Another session holds /cloud/runners/{HostId}: not acting until it is ours")]
    private partial void LogNotHoldingHost(string hostId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconcile pass failed: {Reason}; retrying")]
    private partial void LogPassFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Runner of host {HostId} stopping; its containers keep running")]
    private partial void LogStopping(string hostId);
}
