namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.BadVersion"/>.</summary>
public sealed class BadVersionException : ZooKeeperException
{
    public BadVersionException()
        : base(ErrorCode.BadVersion, null, null)
    {
    }

    public BadVersionException(string? message)
        : base(ErrorCode.BadVersion, null, message)
    {
    }

    public BadVersionException(string? message, Exception? innerException)
        : base(ErrorCode.BadVersion, null, message, innerException)
    {
    }

    public BadVersionException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.BadVersion, path, message, innerException)
    {
    }
}
