namespace Cloud.ElasticsearchNode.Cluster.Transport;

/// <summary>A request to another node failed; <see cref="Type"/> is Elasticsearch's exception type name.</summary>
internal sealed class TransportException : Exception
{
    public TransportException(string type, string message, Exception? inner = null)
        : base(message, inner) => Type = type;

    public TransportException()
        : this("transport_exception", "transport failure")
    {
    }

    public TransportException(string message)
        : this("transport_exception", message)
    {
    }

    public TransportException(string message, Exception inner)
        : this("transport_exception", message, inner)
    {
    }

    public string Type { get; }

    /// <summary>The HTTP status the remote node would have answered with (0 when it did not say).</summary>
    public int Status { get; init; }

    /// <summary>True when the peer could not be reached or the connection broke (not an answer from it).</summary>
    public bool IsDisconnect => Type is "connect_transport_exception" or "node_disconnected_exception";

    public static TransportException Connect(string address, Exception? inner = null) =>
        new("connect_transport_exception", $"[{address}] connect failed: {inner?.Message}", inner);

    public static TransportException Disconnected(string address) =>
        new("node_disconnected_exception", $"[{address}] disconnected");

    public static TransportException Timeout(string address, string action, TimeSpan timeout) =>
        new("receive_timeout_transport_exception", $"[{address}][{action}] request timed out after [{timeout.TotalMilliseconds}ms]");

    public static TransportException Rejected(string what) =>
        new("es_rejected_execution_exception", $"rejected execution: {what}");
}
