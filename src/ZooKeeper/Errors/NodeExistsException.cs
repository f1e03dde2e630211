namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.NodeExists"/>.</summary>
public sealed class NodeExistsException : ZooKeeperException
{
    public NodeExistsException()
        : base(ErrorCode.NodeExists, null, null)
    {
    }

    public NodeExistsException(string? message)
        : base(ErrorCode.NodeExists, null, message)
    {
    }

    public NodeExistsException(string? message, Exception? innerException)
        : base(ErrorCode.NodeExists, null, message, innerException)
    {
    }

    public NodeExistsException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.NodeExists, path, message, innerException)
    {
    }
}
