namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.OperationTimeout"/>.</summary>
public sealed class OperationTimeoutException : ZooKeeperException
{
    public OperationTimeoutException()
        : base(ErrorCode.OperationTimeout, null, null)
    {
    }

    public OperationTimeoutException(string? message)
        : base(ErrorCode.OperationTimeout, null, message)
    {
    }

    public OperationTimeoutException(string? message, Exception? innerException)
        : base(ErrorCode.OperationTimeout, null, message, innerException)
    {
    }

    public OperationTimeoutException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.OperationTimeout, path, message, innerException)
    {
    }
}
