using Cloud.ElasticsearchNode.Cluster.Coordination;
using Cloud.ElasticsearchNode.Cluster.Shards;
using Cloud.ElasticsearchNode.Cluster.State;
using Cloud.ElasticsearchNode.Cluster.Transport;
using Microsoft.Extensions.Logging;

namespace Cloud.ElasticsearchNode.Cluster;

/// <summary>
/// A node's membership in the cluster: its identity (node id kept under <c>path.data</c>), its
/// transport, and its coordinator. Start binds the transport, then discovery runs in the background.
/// </summary>
internal sealed class ClusterNode : IAsyncDisposable
{
    private ClusterNode(ClusterNodeOptions options, TransportService transport, Coordinator coordinator)
    {
        Options = options;
        Transport = transport;
        Coordinator = coordinator;
    }

    public ClusterNodeOptions Options { get; }

    public TransportService Transport { get; }

    public Coordinator Coordinator { get; }

    public DiscoveryNode LocalNode => Coordinator.LocalNode;

    public ClusterState State => Coordinator.Applied;

    /// <summary>
    /// Binds the transport and builds the coordinator. Without <paramref name="engineShards"/> (the cluster
    /// layer's own tests) copies are recovered as raw files by <see cref="LocalShardsApplier"/>; a node with
    /// the engine passes true and registers its own shard applier before <see cref="Join"/>.
    /// </summary>
    public static ClusterNode Start(ClusterNodeOptions options, ILoggerFactory loggers, TimeProvider time, bool engineShards = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var nodeId = NodeIdFile.LoadOrCreate(options.DataPath);
        var persisted = PersistedState.Load(options.DataPath, options.ClusterName);
        Coordinator? coordinator = null;
        var transport = new TransportService(options.Transport,
            () => new TransportHandshake(options.ClusterName, coordinator?.CommittedClusterUuid, nodeId, options.NodeName),
            loggers.CreateLogger("Cloud.ElasticsearchNode.Cluster.Transport"));
        transport.Start();
        var publishPort = options.PublishPort > 0 ? options.PublishPort : transport.BoundPort;
        var local = new DiscoveryNode(nodeId, options.NodeName, TransportAddress.Format(options.PublishHost, publishPort), options.HttpPublishAddress,
            options.PublishHost, options.Roles, options.Attributes);
        coordinator = new Coordinator(local, options.Coordination, transport, persisted, time, loggers.CreateLogger("Cloud.ElasticsearchNode.Cluster.Coordination"));
        if (!engineShards)
        {
            var store = new ShardStore(options.DataPath);
            var recovery = new PeerRecovery(store, transport);
            recovery.RegisterSourceHandlers();
            new LocalShardsApplier(coordinator, transport, recovery, store, time, loggers.CreateLogger("Cloud.ElasticsearchNode.Cluster.Shards")).Register();
        }
        else
        {
            ShardStateHandlers.Register(coordinator, transport, time);
        }
        var node = new ClusterNode(options, transport, coordinator);
        MasterOperations.Register(node);
        return node;
    }

    /// <summary>Starts discovery and election; appliers must be registered on <see cref="Coordinator"/> before.</summary>
    public void Join() => Coordinator.Start();

    /// <summary>Runs a cluster-level change on the elected master, wherever this request arrived; completes once committed.</summary>
    public async Task<MasterOperationResult> RunOnMasterAsync(MasterOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (Coordinator.Mode == CoordinatorMode.Leader)
        {
            var committed = await MasterOperations.ExecuteAsync(this, operation, cancellationToken).ConfigureAwait(false);
            return new MasterOperationResult(committed.Term, committed.Version);
        }

        var master = Coordinator.HasMaster ? State.MasterNode : null;
        if (master is null)
        {
            throw ClusterException.MasterNotDiscovered();
        }

        try
        {
            return await Transport.SendAsync<MasterOperation, MasterOperationResult>(master.TransportAddress, MasterOperations.Action, operation, Options.Coordination.PublishTimeout * 2, cancellationToken).ConfigureAwait(false);
        }
        catch (TransportException ex) when (ex.IsDisconnect)
        {
            throw ClusterException.MasterNotDiscovered();
        }
        catch (TransportException ex)
        {
            throw new ClusterException(ex.Type, ex.Message, ex.Status > 0 ? ex.Status : ex.Type switch
            {
                "master_not_discovered_exception" or "not_master_exception" or "failed_to_commit_cluster_state_exception" => 503,
                "receive_timeout_transport_exception" => 504,
                "resource_already_exists_exception" or "illegal_argument_exception" or "coordination_state_rejected_exception" => 400,
                "index_not_found_exception" or "repository_missing_exception" => 404,
                _ => 500,
            });
        }
    }

    /// <summary>Waits until this node applied the state <paramref name="committed"/> named (or a later one).</summary>
    public async Task<ClusterState> WaitForAppliedAsync(MasterOperationResult committed, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(committed);
        var (_, state) = await Coordinator.WaitForAsync(s => s.Term > committed.Term || (s.Term == committed.Term && s.Version >= committed.Version), timeout, cancellationToken).ConfigureAwait(false);
        return state;
    }

    public async ValueTask DisposeAsync()
    {
        await Coordinator.DisposeAsync().ConfigureAwait(false);
        await Transport.DisposeAsync().ConfigureAwait(false);
    }
}
