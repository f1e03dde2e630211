namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.InvalidCallback"/>.</summary>
public sealed class InvalidCallbackException : ZooKeeperException
{
    public InvalidCallbackException()
        : base(ErrorCode.InvalidCallback, null, null)
    {
    }

    public InvalidCallbackException(string? message)
        : base(ErrorCode.InvalidCallback, null, message)
    {
    }

    public InvalidCallbackException(string? message, Exception? innerException)
        : base(ErrorCode.InvalidCallback, null, message, innerException)
    {
    }

    public InvalidCallbackException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.InvalidCallback, path, message, innerException)
    {
    }
}
