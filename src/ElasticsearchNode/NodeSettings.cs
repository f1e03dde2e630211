namespace Cloud.ElasticsearchNode;

/// <summary>
/// The node's settings, read the way the official Elasticsearch image reads them: environment
/// variables named after the setting (<c>node.name</c>, <c>cluster.name</c>, <c>http.port</c>...).
/// </summary>
internal sealed record NodeSettings(string NodeName, string ClusterName, int HttpPort, string DataPath, string Version, IReadOnlyList<string> Roles, string? Zone)
{
    public static NodeSettings FromEnvironment()
    {
        static string? Get(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

        return new NodeSettings(
            NodeName: Get("node.name") ?? Environment.MachineName,
            ClusterName: Get("cluster.name") ?? "docker-cluster",
            HttpPort: int.TryParse(Get("http.port"), out var port) ? port : 9200,
            DataPath: Get("path.data") ?? "/usr/share/elasticsearch/data",
            Version: Get("ELASTIC_VERSION") ?? "8.15.0",
            Roles: (Get("node.roles") ?? "master,data,ingest").Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Zone: Get("node.attr.zone"));
    }
}
