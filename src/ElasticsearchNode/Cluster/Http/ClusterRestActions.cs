using System.Text.Json;
using Cloud.ElasticsearchNode.Rest;

namespace Cloud.ElasticsearchNode.Cluster.Http;

/// <summary>
/// Puts the cluster API on the node's REST router. Registered before the single-node actions, so in a
/// multi-node cluster its health, state and _cat answers (membership, shard copies) win; a node that
/// bootstraps alone keeps the single-node answers for the routes both have.
/// </summary>
internal sealed class ClusterRestActions(ClusterNode node)
{
    private static readonly HashSet<string> Shared = new(StringComparer.Ordinal) { "/_cluster/health", "/_cluster/health/{index}", "/_cluster/state", "/_cat/nodes", "/_cat/shards" };

    public void Register(RestRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        var alone = node.Options.Coordination.BootstrapAlone;
        ClusterApi.Register(node, (method, pattern, handler) =>
        {
            if (alone && Shared.Contains(pattern))
            {
                return;
            }

            router.Add(method, pattern, async request =>
            {
                var result = await handler(new ApiRequest(request.PathParameter, request.Parameter, request.Body, request.Aborted));
                return result.Text is not null
                    ? new RestResponse(result.Status, Text: result.Text)
                    : new RestResponse(result.Status, JsonSerializer.SerializeToNode(result.Body, ClusterApiJson));
            });
        });
    }

    private static JsonSerializerOptions ClusterApiJson { get; } = new(JsonSerializerDefaults.General);
}
