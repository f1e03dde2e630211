namespace Cloud.ElasticsearchNode.Cluster;

/// <summary>A cluster-level refusal with Elasticsearch's error type and HTTP status (e.g. master_not_discovered_exception, 503).</summary>
internal sealed class ClusterException : Exception
{
    public ClusterException(string type, string message, int status = 400)
        : base(message)
    {
        Type = type;
        Status = status;
    }

    public ClusterException()
        : this("exception", "cluster error")
    {
    }

    public ClusterException(string message)
        : this("exception", message)
    {
    }

    public ClusterException(string message, Exception inner)
        : base(message, inner)
    {
        Type = "exception";
        Status = 500;
    }

    public string Type { get; }

    public int Status { get; }

    public static ClusterException MasterNotDiscovered() =>
        new("master_not_discovered_exception", "no master node is known to this node", 503);

    public static ClusterException NotMaster(string action) =>
        new("not_master_exception", $"this node is no longer the elected master, cannot handle [{action}]", 503);
}
