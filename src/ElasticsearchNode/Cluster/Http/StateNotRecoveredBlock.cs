using Cloud.ElasticsearchNode.Cluster.State;
using Cloud.ElasticsearchNode.Errors;

namespace Cloud.ElasticsearchNode.Cluster.Http;

/// <summary>
/// Elasticsearch's global <c>STATE_NOT_RECOVERED</c> block: a node of a multi-node cluster that has not yet
/// received a cluster state from an elected master knows no index, no shard and no other node, so it answers
/// every request but the root, health and <c>local</c> ones with 503 instead of a confident "no such index"
/// or a node list of one. Without it, a platform that asks a brand-new node "have you joined?" hears "yes"
/// from the node's own view and routes clients to it too early.
/// </summary>
internal sealed class StateNotRecoveredBlock(ClusterNode node)
{
    private static readonly string[] AnsweredBeforeRecovery = ["/_cluster/health", "/_nodes"];

    /// <summary>The error to answer with, or null when the request may run.</summary>
    public ElasticsearchException? Check(string path, bool local)
    {
        if (node.Options.Coordination.BootstrapAlone || local || IsRecovered(node.State))
        {
            return null;
        }

        if (path == "/" || AnsweredBeforeRecovery.Any(p => path.StartsWith(p, StringComparison.Ordinal)))
        {
            return null;
        }

        return new ElasticsearchException("cluster_block_exception", "blocked by: [SERVICE_UNAVAILABLE/1/state not recovered / initialized];", 503);
    }

    /// <summary>A state published by a master carries the cluster's uuid; the empty state of a node that never joined does not.</summary>
    private static bool IsRecovered(ClusterState state) => state.ClusterUuid != ClusterState.UnknownUuid;
}
