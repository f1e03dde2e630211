namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.NewConfigNoQuorum"/>.</summary>
public sealed class NewConfigNoQuorumException : ZooKeeperException
{
    public NewConfigNoQuorumException()
        : base(ErrorCode.NewConfigNoQuorum, null, null)
    {
    }

    public NewConfigNoQuorumException(string? message)
        : base(ErrorCode.NewConfigNoQuorum, null, message)
    {
    }

    public NewConfigNoQuorumException(string? message, Exception? innerException)
        : base(ErrorCode.NewConfigNoQuorum, null, message, innerException)
    {
    }

    public NewConfigNoQuorumException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.NewConfigNoQuorum, path, message, innerException)
    {
    }
}
