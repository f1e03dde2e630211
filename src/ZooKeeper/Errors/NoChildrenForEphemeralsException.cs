namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.NoChildrenForEphemerals"/>.</summary>
public sealed class NoChildrenForEphemeralsException : ZooKeeperException
{
    public NoChildrenForEphemeralsException()
        : base(ErrorCode.NoChildrenForEphemerals, null, null)
    {
    }

    public NoChildrenForEphemeralsException(string? message)
        : base(ErrorCode.NoChildrenForEphemerals, null, message)
    {
    }

    public NoChildrenForEphemeralsException(string? message, Exception? innerException)
        : base(ErrorCode.NoChildrenForEphemerals, null, message, innerException)
    {
    }

    public NoChildrenForEphemeralsException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.NoChildrenForEphemerals, path, message, innerException)
    {
    }
}
