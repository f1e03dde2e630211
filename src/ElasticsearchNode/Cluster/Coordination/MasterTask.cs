using Cloud.ElasticsearchNode.Cluster.State;

namespace Cloud.ElasticsearchNode.Cluster.Coordination;

/// <summary>A change the elected master applies to the cluster state; completes once the result is committed.</summary>
internal sealed record MasterTask(string Source, Func<ClusterState, ClusterState> Update)
{
    public TaskCompletionSource<ClusterState> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
