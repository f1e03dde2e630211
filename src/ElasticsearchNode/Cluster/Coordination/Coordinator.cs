using System.Threading.Channels;
using Cloud.ElasticsearchNode.Cluster.State;
using Cloud.ElasticsearchNode.Cluster.Transport;
using Microsoft.Extensions.Logging;

namespace Cloud.ElasticsearchNode.Cluster.Coordination;

/// <summary>
/// One node's part in forming and keeping the cluster, in the spirit of Elasticsearch's Zen2: discover
/// peers, bootstrap once from <c>cluster.initial_master_nodes</c>, elect one master per term with a
/// majority of the voting configuration (pre-vote first), publish versioned states in two phases
/// (accept by a majority, then commit), apply them in order, and detect failed leaders and followers.
/// The parts live in partial files by concern: discovery, election, publication, fault detection.
/// </summary>
internal sealed partial class Coordinator : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly CoordinationOptions _options;
    private readonly TransportService _transport;
    private readonly PersistedState _persisted;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private readonly Channel<MasterTask> _masterTasks = Channel.CreateUnbounded<MasterTask>();
    private readonly Channel<(ClusterState Previous, ClusterState Current)> _toApply = Channel.CreateUnbounded<(ClusterState, ClusterState)>();
    private readonly List<Func<ClusterState, ClusterState, CancellationToken, Task>> _appliers = [];
    private readonly List<Task> _loops = [];
    private CoordinatorMode _mode = CoordinatorMode.Candidate;
    private DiscoveryNode? _leader;
    private ClusterState _applied;
    private TaskCompletionSource _stateChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Coordinator(DiscoveryNode localNode, CoordinationOptions options, TransportService transport, PersistedState persisted, TimeProvider time, ILogger logger)
    {
        LocalNode = localNode;
        _options = options;
        _transport = transport;
        _persisted = persisted;
        _time = time;
        _logger = logger;
        _seeds = new Discovery.SeedHostsProvider(options.SeedHosts, options.UnicastHostsFile);

        // Until a master says otherwise, this node only knows itself (and what it accepted before a restart).
        _applied = persisted.LastAccepted with { MasterNodeId = null, Nodes = persisted.LastAccepted.Nodes.SetItem(localNode.Id, localNode) };
    }

    public DiscoveryNode LocalNode { get; }

    public ClusterState Applied => Volatile.Read(ref _applied);

    public CoordinatorMode Mode
    {
        get
        {
            lock (_gate)
            {
                return _mode;
            }
        }
    }

    public long CurrentTerm
    {
        get
        {
            lock (_gate)
            {
                return _persisted.CurrentTerm;
            }
        }
    }

    /// <summary>True while this node follows a live master (or is it): only then are writes served.</summary>
    public bool HasMaster
    {
        get
        {
            lock (_gate)
            {
                return _mode != CoordinatorMode.Candidate && _applied.MasterNodeId is not null;
            }
        }
    }

    /// <summary>The cluster uuid for the handshake: only once committed, so a fresh node can still join.</summary>
    public string? CommittedClusterUuid
    {
        get
        {
            var accepted = _persisted.LastAccepted;
            return accepted.ClusterUuidCommitted ? accepted.ClusterUuid : null;
        }
    }

    /// <summary>Called in order with (previous, current) for every applied state; register before <see cref="Start"/>.</summary>
    public void AddApplier(Func<ClusterState, ClusterState, CancellationToken, Task> applier) => _appliers.Add(applier);

    public void Start()
    {
        RegisterHandlers();
        _loops.Add(Task.Run(() => DiscoveryLoopAsync(_stopping.Token)));
        _loops.Add(Task.Run(() => LeaderCheckLoopAsync(_stopping.Token)));
        _loops.Add(Task.Run(() => FollowerCheckLoopAsync(_stopping.Token)));
        _loops.Add(Task.Run(() => MasterLoopAsync(_stopping.Token)));
        _loops.Add(Task.Run(() => ApplyLoopAsync(_stopping.Token)));
    }

    /// <summary>Waits until the applied state satisfies <paramref name="predicate"/>; returns the last state seen either way.</summary>
    public async Task<(bool Met, ClusterState State)> WaitForAsync(Func<ClusterState, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            ClusterState state;
            lock (_gate)
            {
                changed = _stateChanged.Task;
                state = _applied;
            }

            if (predicate(state))
            {
                return (true, state);
            }

            try
            {
                await changed.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (false, Applied);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The host stops the node and then disposes its services, so this runs twice on a graceful stop;
        // the second call must be a no-op, not an ObjectDisposedException that turns a clean exit into a crash.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _masterTasks.Writer.TryComplete();
        _toApply.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        while (_masterTasks.Reader.TryRead(out var task))
        {
            task.Done.TrySetException(ClusterException.NotMaster(task.Source));
        }

        _stopping.Dispose();
    }

    private void RegisterHandlers()
    {
        _transport.Register<PeersRequest, PeersResponse>(CoordinationActions.Peers, (r, _) => Task.FromResult(HandlePeers(r)));
        _transport.Register<PreVoteRequest, PreVoteResponse>(CoordinationActions.PreVote, (r, _) => Task.FromResult(HandlePreVote(r)));
        _transport.Register<StartJoinRequest, Join>(CoordinationActions.StartJoin, (r, _) => Task.FromResult(HandleStartJoin(r)));
        _transport.Register<JoinRequest, Empty>(CoordinationActions.Join, HandleJoinAsync);
        _transport.Register<PublishRequest, PublishResponse>(CoordinationActions.Publish, (r, _) => Task.FromResult(HandlePublish(r)));
        _transport.Register<CommitRequest, Empty>(CoordinationActions.Commit, (r, _) => Task.FromResult(HandleCommit(r)));
        _transport.Register<FollowerCheckRequest, Empty>(CoordinationActions.FollowerCheck, (r, _) => Task.FromResult(HandleFollowerCheck(r)));
        _transport.Register<LeaderCheckRequest, Empty>(CoordinationActions.LeaderCheck, (r, _) => Task.FromResult(HandleLeaderCheck(r)));
    }

    /// <summary>Under the gate: stop leading or following; discovery takes over.</summary>
    private void BecomeCandidate(string reason)
    {
        if (_mode == CoordinatorMode.Candidate)
        {
            return;
        }

        LogBecomingCandidate(LocalNode.Name, _mode, reason);
        _mode = CoordinatorMode.Candidate;
        _leader = null;
        _leaderFailures = 0;
        SetApplied(_applied with { MasterNodeId = null });
    }

    /// <summary>Under the gate.</summary>
    private void BecomeFollower(DiscoveryNode leader)
    {
        if (_mode != CoordinatorMode.Follower || _leader?.Id != leader.Id)
        {
            LogFollowing(LocalNode.Name, leader.Name, _persisted.CurrentTerm);
        }

        _mode = CoordinatorMode.Follower;
        _leader = leader;
        _leaderFailures = 0;
    }

    /// <summary>Under the gate: makes <paramref name="state"/> the applied state and queues it for the appliers.</summary>
    private void SetApplied(ClusterState state)
    {
        var previous = _applied;
        _applied = state;
        _toApply.Writer.TryWrite((previous, state));
        var changed = _stateChanged;
        _stateChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    private async Task ApplyLoopAsync(CancellationToken stopping)
    {
        await foreach (var (previous, current) in _toApply.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
        {
            foreach (var applier in _appliers)
            {
                try
                {
                    await applier(previous, current, stopping).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
                {
                    LogApplierFailed(ex, current.Version);
                }
            }
        }
    }

    private static async Task Pause(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "[{Node}] {Mode} -> candidate: {Reason}")]
    private partial void LogBecomingCandidate(string node, CoordinatorMode mode, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "[{Node}] following master [{Master}] in term {Term}")]
    private partial void LogFollowing(string node, string master, long term);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster state applier failed on version {Version}")]
    private partial void LogApplierFailed(Exception exception, long version);
}
