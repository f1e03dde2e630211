namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.RuntimeInconsistency"/>.</summary>
public sealed class RuntimeInconsistencyException : ZooKeeperException
{
    public RuntimeInconsistencyException()
        : base(ErrorCode.RuntimeInconsistency, null, null)
    {
    }

    public RuntimeInconsistencyException(string? message)
        : base(ErrorCode.RuntimeInconsistency, null, message)
    {
    }

    public RuntimeInconsistencyException(string? message, Exception? innerException)
        : base(ErrorCode.RuntimeInconsistency, null, message, innerException)
    {
    }

    public RuntimeInconsistencyException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.RuntimeInconsistency, path, message, innerException)
    {
    }
}
