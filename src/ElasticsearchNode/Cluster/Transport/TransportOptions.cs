namespace Cloud.ElasticsearchNode.Cluster.Transport;

/// <summary>How nodes talk to each other: deadlines and the bounds that keep a slow peer from piling up work.</summary>
internal sealed class TransportOptions
{
    public string BindHost { get; set; } = "0.0.0.0";

    /// <summary>0 picks a free port (in-process tests); the container uses 9300.</summary>
    public int Port { get; set; } = 9300;

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    public TimeSpan DefaultRequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Requests waiting for an answer on one connection; beyond it a send is rejected, not queued forever.</summary>
    public int MaxPendingRequestsPerConnection { get; set; } = 512;

    /// <summary>Requests a node handles at once for one peer; beyond it the peer gets es_rejected_execution_exception.</summary>
    public int MaxConcurrentHandlersPerConnection { get; set; } = 256;

    public int MaxFrameBytes { get; set; } = 64 * 1024 * 1024;
}
