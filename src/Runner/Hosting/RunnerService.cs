using System.Diagnostics.Metrics;
using Cloud.Runner.Docker;
using Cloud.Runner.Publishing;
using Cloud.Runner.Reconcile;
using Cloud.Runner.Registration;
using Cloud.Shared.Coordination;
using Cloud.Shared.Hosting;
using Cloud.Shared.Telemetry;
using Cloud.ZooKeeper;
using Cloud.ZooKeeper.Recipes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Runner.Hosting;

/// <summary>
/// The runner's life: register, follow the host's definitions and the engine's events, and run a
/// reconcile pass on every change of either and at least every <see cref="RunnerOptions.ResyncInterval"/>.
/// Stopping the runner leaves every container running: workloads outlive their runner. Nothing but a
/// fatal error (<see cref="ErrorPolicy"/>) ends it: a failed pass, or a failure while following, is retried with backoff.
/// </summary>
internal sealed partial class RunnerService(
    ZooKeeperConnection connection,
    IContainerRuntime runtime,
    RunnerRegistrar registrar,
    DesiredSnapshotReader reader,
    ContainerReconciler reconciler,
    InspectPublisher publisher,
    IOptions<RunnerOptions> options,
    TimeProvider timeProvider,
    RoleTelemetry telemetry,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly RunnerOptions _options = options.Value;
    private readonly ILogger _logger = loggerFactory.CreateLogger<RunnerService>();
    private readonly ReconcileSignal _wake = new();
    private readonly CoordinationEpoch _epoch = new();

    // The one jittered backoff of the platform (Cloud.ZooKeeper.Backoff): RetryDelay doubling up to ten times it.
    private readonly Backoff _retry = new(options.Value.RetryDelay, options.Value.RetryDelay * 10);
    private long _passes;
    private long _failedPasses;
    private long _passesEnded;
    private long _followFailures;

    /// <summary>The last pass's result, for tests and diagnostics.</summary>
    public ReconcilePass? LastPass { get; private set; }

    /// <summary>How many passes have ended, failed or not (for tests and diagnostics).</summary>
    public long Passes => Interlocked.Read(ref _passesEnded);

    /// <summary>How many times following (registering, loading the definitions) failed and started over (for tests and diagnostics).</summary>
    public long FollowFailures => Interlocked.Read(ref _followFailures);

    /// <summary>How many passes have failed since the runner started (for tests and diagnostics).</summary>
    public long FailedPasses => Interlocked.Read(ref _failedPasses);

    private IEnumerable<Measurement<int>> CountContainersByState() =>
        (LastPass?.Owned ?? []).GroupBy(c => c.Status, StringComparer.Ordinal)
            .Select(g => new Measurement<int>(g.Count(), new KeyValuePair<string, object?>("state", g.Key)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        telemetry.Meter.CreateObservableGauge("cloud.runner.containers", CountContainersByState, "{container}", "Containers this runner owns, by Docker state, as of the last pass.");
        for (var failures = 0; ; failures++)
        {
            try
            {
                Directory.CreateDirectory(_options.DataRoot);
                await FollowAndReconcileAsync(stoppingToken);
                return;
            }
            catch (Exception ex) when (ErrorPolicy.IsRetried(ex, stoppingToken))
            {
                // Losing ZooKeeper while registering or loading the definitions, or anything else going
                // wrong while following, must not stop the runner (nor, through it, any container).
                var delay = RetryDelay(failures);
                Interlocked.Increment(ref _followFailures);
                LogFollowFailed(ex, delay.TotalMilliseconds);
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
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                LogStopping(_options.HostId);
                return;
            }
        }
    }

    private async Task FollowAndReconcileAsync(CancellationToken stoppingToken)
    {
        var client = await connection.GetClientAsync(stoppingToken);
        await using var registration = await registrar.RegisterAsync(client, stoppingToken);
        await using var cache = new ChildrenCache(client, CloudPaths.ContainersOf(_options.HostId), loggerFactory.CreateLogger<ChildrenCache>(), createIfMissing: false);

        // The definitions this attempt follows: written by FollowDefinitionsAsync only, read by the passes.
        var view = new DesiredView();
        client.ConnectionStateChanged += OnConnectionStateChanged;
        try
        {
            await cache.StartAsync(stoppingToken);
            using var failed = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var loops = new[]
            {
                FollowDefinitionsAsync(client, cache, view, failed.Token),
                FollowEngineAsync(failed.Token),
                ReconcileLoopAsync(client, registration, view, failed.Token),
            };
            var first = await Task.WhenAny(loops);
            await failed.CancelAsync();
            await Task.WhenAll(loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await first;
        }
        finally
        {
            client.ConnectionStateChanged -= OnConnectionStateChanged;
        }
    }

    private void OnConnectionStateChanged(ConnectionStateChange change)
    {
        if (change.State != ConnectionState.Connected)
        {
            // Only the epoch moves here: every snapshot read before it stops being authoritative at once,
            // and only one re-read after reconnecting (in FollowDefinitionsAsync) makes the definitions count again.
            _epoch.Advance();
            LogCoordinationLost(change.State);
            _wake.Notify();
        }
    }

    private async Task FollowDefinitionsAsync(ZooKeeperClient client, ChildrenCache cache, DesiredView view, CancellationToken cancellationToken)
    {
        await foreach (var snapshot in cache.WatchAsync(cancellationToken))
        {
            // Read the epoch before the connection state: a drop between the two leaves the snapshot stale, never the other way round.
            var epoch = _epoch.Current;
            var desired = reader.Read(snapshot);
            desired = desired with { IsAuthoritative = desired.IsAuthoritative && client.State == ConnectionState.Connected };
            view.Set(desired, epoch);
            LogDefinitions(desired.Containers.Count, desired.Version, desired.IsAuthoritative);
            _wake.Notify();
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
                    _wake.Notify();
                }
            }
            catch (Exception ex) when (ErrorPolicy.IsRetried(ex, cancellationToken))
            {
                LogEngineEventsLost(ex.Message);
            }

            // Something may have happened while the stream was down: look again.
            _wake.Notify();
            await Task.Delay(RetryDelay(failures), timeProvider, cancellationToken);
        }
    }

    private async Task ReconcileLoopAsync(ZooKeeperClient client, EphemeralRegistration registration, DesiredView view, CancellationToken cancellationToken)
    {
        for (var failures = 0; ;)
        {
            var wait = _options.ResyncInterval;
            var (desired, epoch) = view.Current;
            if (epoch != _epoch.Current)
            {
                desired = desired with { IsAuthoritative = false };
            }

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
                using var timing = telemetry.StartReconcilePass();
                try
                {
                    var result = await reconciler.ReconcileAsync(desired, cancellationToken);
                    LastPass = result;
                    if (desired.IsAuthoritative && epoch == _epoch.Current)
                    {
                        var observations = ObservationBuilder.Build(result, timeProvider.GetUtcNow());
                        await publisher.PublishAsync(client, observations, cancellationToken);
                        await registrar.RefreshAsync(registration, cancellationToken);
                    }

                    failures = 0;
                    timing.Succeeded();
                }
                catch (Exception ex) when (ErrorPolicy.IsRetried(ex, cancellationToken))
                {
                    // A failed pass (ZooKeeper, Docker, or anything unexpected) is retried with backoff; the
                    // containers keep running as they are meanwhile.
                    Interlocked.Increment(ref _failedPasses);
                    LogPassFailed(ex);
                    wait = RetryDelay(failures++);
                }
            }

            Interlocked.Increment(ref _passesEnded);
            await _wake.WaitAsync(wait, timeProvider, cancellationToken);
        }
    }

    /// <param name="failures">Failures before this one (0 after the first).</param>
    private TimeSpan RetryDelay(int failures) => _retry.Delay(failures + 1);

    [LoggerMessage(Level = LogLevel.Information, Message = "Definitions: {Count} at version {Version} (authoritative: {Authoritative})")]
    private partial void LogDefinitions(int count, long version, bool authoritative);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ZooKeeper connection {State}: keeping every container as it is until the definitions are re-read")]
    private partial void LogCoordinationLost(ConnectionState state);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Engine event {Action} on {Name}")]
    private partial void LogEngineEvent(string? name, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the engine's event stream: {Reason}; resubscribing")]
    private partial void LogEngineEventsLost(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following the definitions failed; starting over in {DelayMs:0} ms")]
    private partial void LogFollowFailed(Exception exception, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Another session holds /cloud/runners/{HostId}: not acting until it is ours")]
    private partial void LogNotHoldingHost(string hostId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconcile pass failed; retrying")]
    private partial void LogPassFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Runner of host {HostId} stopping; its containers keep running")]
    private partial void LogStopping(string hostId);
}
