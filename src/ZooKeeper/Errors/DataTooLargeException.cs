namespace Cloud.ZooKeeper;

/// <summary>
/// A request was refused on the client because it exceeds the server's packet limit (jute.maxbuffer,
/// 1 MB by default). The server would otherwise drop the connection.
/// </summary>
public sealed class DataTooLargeException : BadArgumentsException
{
    public DataTooLargeException(string? path, int requestLength, int limit)
        : base(path, $"Request for '{path}' is {requestLength} bytes, over ZooKeeper's packet limit of {limit} bytes (jute.maxbuffer); znode data must stay below 1 MB.")
    {
        RequestLength = requestLength;
        Limit = limit;
    }

    public int RequestLength { get; }

    public int Limit { get; }
}
