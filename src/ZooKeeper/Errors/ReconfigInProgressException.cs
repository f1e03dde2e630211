namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.ReconfigInProgress"/>.</summary>
public sealed class ReconfigInProgressException : ZooKeeperException
{
    public ReconfigInProgressException()
        : base(ErrorCode.ReconfigInProgress, null, null)
    {
    }

    public ReconfigInProgressException(string? message)
        : base(ErrorCode.ReconfigInProgress, null, message)
    {
    }

    public ReconfigInProgressException(string? message, Exception? innerException)
        : base(ErrorCode.ReconfigInProgress, null, message, innerException)
    {
    }

    public ReconfigInProgressException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.ReconfigInProgress, path, message, innerException)
    {
    }
}
