namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.SessionExpired"/>.</summary>
public sealed class SessionExpiredException : ZooKeeperException
{
    public SessionExpiredException()
        : base(ErrorCode.SessionExpired, null, null)
    {
    }

    public SessionExpiredException(string? message)
        : base(ErrorCode.SessionExpired, null, message)
    {
    }

    public SessionExpiredException(string? message, Exception? innerException)
        : base(ErrorCode.SessionExpired, null, message, innerException)
    {
    }

    public SessionExpiredException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.SessionExpired, path, message, innerException)
    {
    }
}
