using System.Text.Json.Nodes;

namespace Cloud.ElasticsearchNode.Rest;

/// <summary><c>GET /</c> and <c>HEAD /</c>: the banner the official clients check the product by.</summary>
internal sealed class RootActions(NodeSettings settings, NodeIdentity identity, Cluster.ClusterNode cluster)
{
    public void Register(RestRouter router)
    {
        router.Add("GET", "/", Info);
        router.Add("HEAD", "/", Info);
    }

    private Task<RestResponse> Info(RestRequest request) => Task.FromResult(RestResponse.Ok(new JsonObject
    {
        ["name"] = settings.NodeName,
        ["cluster_name"] = settings.ClusterName,
        ["cluster_uuid"] = cluster.State.ClusterUuidCommitted ? cluster.State.ClusterUuid : identity.ClusterUuid,
        ["version"] = new JsonObject
        {
            ["number"] = settings.Version,
            ["build_flavor"] = "default",
            ["build_type"] = "docker",
            ["build_hash"] = "0000000000000000000000000000000000000000",
            ["build_date"] = "2024-08-05T10:05:34.233336849Z",
            ["build_snapshot"] = false,
            ["lucene_version"] = "9.11.1",
            ["minimum_wire_compatibility_version"] = "7.17.0",
            ["minimum_index_compatibility_version"] = "7.0.0",
        },
        ["tagline"] = "You Know, for Search",
    }));
}
