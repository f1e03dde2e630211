namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.UnknownSession"/>.</summary>
public sealed class UnknownSessionException : ZooKeeperException
{
    public UnknownSessionException()
        : base(ErrorCode.UnknownSession, null, null)
    {
    }

    public UnknownSessionException(string? message)
        : base(ErrorCode.UnknownSession, null, message)
    {
    }

    public UnknownSessionException(string? message, Exception? innerException)
        : base(ErrorCode.UnknownSession, null, message, innerException)
    {
    }

    public UnknownSessionException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.UnknownSession, path, message, innerException)
    {
    }
}
