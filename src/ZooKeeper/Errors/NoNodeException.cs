namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.NoNode"/>.</summary>
public sealed class NoNodeException : ZooKeeperException
{
    public NoNodeException()
        : base(ErrorCode.NoNode, null, null)
    {
    }

    public NoNodeException(string? message)
        : base(ErrorCode.NoNode, null, message)
    {
    }

    public NoNodeException(string? message, Exception? innerException)
        : base(ErrorCode.NoNode, null, message, innerException)
    {
    }

    public NoNodeException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.NoNode, path, message, innerException)
    {
    }
}
