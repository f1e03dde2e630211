namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.ConnectionLoss"/>.</summary>
public sealed class ConnectionLossException : ZooKeeperException
{
    public ConnectionLossException()
        : base(ErrorCode.ConnectionLoss, null, null)
    {
    }

    public ConnectionLossException(string? message)
        : base(ErrorCode.ConnectionLoss, null, message)
    {
    }

    public ConnectionLossException(string? message, Exception? innerException)
        : base(ErrorCode.ConnectionLoss, null, message, innerException)
    {
    }

    public ConnectionLossException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.ConnectionLoss, path, message, innerException)
    {
    }
}
