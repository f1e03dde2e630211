namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.NotEmpty"/>.</summary>
public sealed class NotEmptyException : ZooKeeperException
{
    public NotEmptyException()
        : base(ErrorCode.NotEmpty, null, null)
    {
    }

    public NotEmptyException(string? message)
        : base(ErrorCode.NotEmpty, null, message)
    {
    }

    public NotEmptyException(string? message, Exception? innerException)
        : base(ErrorCode.NotEmpty, null, message, innerException)
    {
    }

    public NotEmptyException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.NotEmpty, path, message, innerException)
    {
    }
}
