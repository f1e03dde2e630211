namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.DataInconsistency"/>.</summary>
public sealed class DataInconsistencyException : ZooKeeperException
{
    public DataInconsistencyException()
        : base(ErrorCode.DataInconsistency, null, null)
    {
    }

    public DataInconsistencyException(string? message)
        : base(ErrorCode.DataInconsistency, null, message)
    {
    }

    public DataInconsistencyException(string? message, Exception? innerException)
        : base(ErrorCode.DataInconsistency, null, message, innerException)
    {
    }

    public DataInconsistencyException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.DataInconsistency, path, message, innerException)
    {
    }
}
