namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.NoAuth"/>.</summary>
public sealed class NoAuthException : ZooKeeperException
{
    public NoAuthException()
        : base(ErrorCode.NoAuth, null, null)
    {
    }

    public NoAuthException(string? message)
        : base(ErrorCode.NoAuth, null, message)
    {
    }

    public NoAuthException(string? message, Exception? innerException)
        : base(ErrorCode.NoAuth, null, message, innerException)
    {
    }

    public NoAuthException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.NoAuth, path, message, innerException)
    {
    }
}
