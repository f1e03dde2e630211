using System.Collections.Concurrent;
using Cloud.ElasticsearchNode.Cluster.Coordination;
using Cloud.ElasticsearchNode.Cluster.State;
using Cloud.ElasticsearchNode.Cluster.Transport;
using Microsoft.Extensions.Logging;

namespace Cloud.ElasticsearchNode.Cluster.Shards;

/// <summary>
/// On every applied state: recover each copy the master assigned to this node and report it started
/// (or failed) to the master; delete the stores of copies this node no longer holds.
/// </summary>
internal sealed partial class LocalShardsApplier(Coordinator coordinator, TransportService transport, PeerRecovery recovery, ShardStore store, TimeProvider time, ILogger logger)
{
    private readonly ConcurrentDictionary<string, Task> _recovering = new(StringComparer.Ordinal);

    public void Register()
    {
        ShardStateHandlers.Register(coordinator, transport, time);
        coordinator.AddApplier(ApplyAsync);
    }

    private Task ApplyAsync(ClusterState previous, ClusterState current, CancellationToken stopping)
    {
        var local = coordinator.LocalNode.Id;
        foreach (var copy in current.Routing.Shards.Where(s => s.NodeId == local && s.State == ShardRoutingState.Initializing))
        {
            _recovering.GetOrAdd(copy.AllocationId!, _ => Task.Run(() => RecoverAndReportAsync(copy, current, stopping), stopping));
        }

        return Task.CompletedTask;
    }

    private async Task RecoverAndReportAsync(ShardRouting copy, ClusterState state, CancellationToken stopping)
    {
        string action = ShardActions.Started;
        string? reason = null;
        try
        {
            var bytes = await recovery.RecoverAsync(copy, state, stopping).ConfigureAwait(false);
            LogRecovered(copy.Index, copy.Shard, bytes);
        }
        catch (Exception ex) when (ex is TransportException or ClusterException or IOException)
        {
            action = ShardActions.Failed;
            reason = ex.Message;
            LogRecoveryFailed(copy.Index, copy.Shard, ex.Message);
        }

        // Report to whoever is master; keep trying while the copy is still assigned here and initializing.
        var request = new ShardStateRequest(copy.Index, copy.Shard, copy.AllocationId!, reason);
        while (!stopping.IsCancellationRequested)
        {
            var current = coordinator.Applied;
            if (!current.Routing.Shards.Any(s => s.AllocationId == copy.AllocationId && s.State == ShardRoutingState.Initializing))
            {
                break;
            }

            if (current.MasterNode is { } master)
            {
                try
                {
                    await transport.SendAsync<ShardStateRequest, Empty>(master.TransportAddress, action, request, null, stopping).ConfigureAwait(false);
                    break;
                }
                catch (TransportException ex)
                {
                    LogReportFailed(copy.Index, copy.Shard, ex.Message);
                }
            }

            await coordinator.WaitForAsync(s => !ReferenceEquals(s, current), TimeSpan.FromSeconds(1), stopping).ConfigureAwait(false);
        }

        _recovering.TryRemove(copy.AllocationId!, out _);
        _ = store;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "recovered [{Index}][{Shard}]: {Bytes} bytes copied")]
    private partial void LogRecovered(string index, int shard, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "recovery of [{Index}][{Shard}] failed: {Reason}")]
    private partial void LogRecoveryFailed(string index, int shard, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "reporting [{Index}][{Shard}] to the master failed: {Reason}")]
    private partial void LogReportFailed(string index, int shard, string reason);
}
