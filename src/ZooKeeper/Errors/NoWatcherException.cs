namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.NoWatcher"/>.</summary>
public sealed class NoWatcherException : ZooKeeperException
{
    public NoWatcherException()
        : base(ErrorCode.NoWatcher, null, null)
    {
    }

    public NoWatcherException(string? message)
        : base(ErrorCode.NoWatcher, null, message)
    {
    }

    public NoWatcherException(string? message, Exception? innerException)
        : base(ErrorCode.NoWatcher, null, message, innerException)
    {
    }

    public NoWatcherException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.NoWatcher, path, message, innerException)
    {
    }
}
