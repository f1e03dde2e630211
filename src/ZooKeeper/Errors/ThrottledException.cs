namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.Throttled"/>.</summary>
public sealed class ThrottledException : ZooKeeperException
{
    public ThrottledException()
        : base(ErrorCode.Throttled, null, null)
    {
    }

    public ThrottledException(string? message)
        : base(ErrorCode.Throttled, null, message)
    {
    }

    public ThrottledException(string? message, Exception? innerException)
        : base(ErrorCode.Throttled, null, message, innerException)
    {
    }

    public ThrottledException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.Throttled, path, message, innerException)
    {
    }
}
