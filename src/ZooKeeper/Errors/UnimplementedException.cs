namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.Unimplemented"/>.</summary>
public sealed class UnimplementedException : ZooKeeperException
{
    public UnimplementedException()
        : base(ErrorCode.Unimplemented, null, null)
    {
    }

    public UnimplementedException(string? message)
        : base(ErrorCode.Unimplemented, null, message)
    {
    }

    public UnimplementedException(string? message, Exception? innerException)
        : base(ErrorCode.Unimplemented, null, message, innerException)
    {
    }

    public UnimplementedException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.Unimplemented, path, message, innerException)
    {
    }
}
