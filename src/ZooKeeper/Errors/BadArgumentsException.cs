namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.BadArguments"/>.</summary>
public class BadArgumentsException : ZooKeeperException
{
    public BadArgumentsException()
        : base(ErrorCode.BadArguments, null, null)
    {
    }

    public BadArgumentsException(string? message)
        : base(ErrorCode.BadArguments, null, message)
    {
    }

    public BadArgumentsException(string? message, Exception? innerException)
        : base(ErrorCode.BadArguments, null, message, innerException)
    {
    }

    public BadArgumentsException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.BadArguments, path, message, innerException)
    {
    }
}
