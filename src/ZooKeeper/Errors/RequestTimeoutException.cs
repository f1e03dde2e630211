namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.RequestTimeout"/>.</summary>
public sealed class RequestTimeoutException : ZooKeeperException
{
    public RequestTimeoutException()
        : base(ErrorCode.RequestTimeout, null, null)
    {
    }

    public RequestTimeoutException(string? message)
        : base(ErrorCode.RequestTimeout, null, message)
    {
    }

    public RequestTimeoutException(string? message, Exception? innerException)
        : base(ErrorCode.RequestTimeout, null, message, innerException)
    {
    }

    public RequestTimeoutException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.RequestTimeout, path, message, innerException)
    {
    }
}
