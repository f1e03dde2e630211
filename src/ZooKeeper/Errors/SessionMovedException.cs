namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.SessionMoved"/>.</summary>
public sealed class SessionMovedException : ZooKeeperException
{
    public SessionMovedException()
        : base(ErrorCode.SessionMoved, null, null)
    {
    }

    public SessionMovedException(string? message)
        : base(ErrorCode.SessionMoved, null, message)
    {
    }

    public SessionMovedException(string? message, Exception? innerException)
        : base(ErrorCode.SessionMoved, null, message, innerException)
    {
    }

    public SessionMovedException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.SessionMoved, path, message, innerException)
    {
    }
}
