namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.InvalidAcl"/>.</summary>
public sealed class InvalidAclException : ZooKeeperException
{
    public InvalidAclException()
        : base(ErrorCode.InvalidAcl, null, null)
    {
    }

    public InvalidAclException(string? message)
        : base(ErrorCode.InvalidAcl, null, message)
    {
    }

    public InvalidAclException(string? message, Exception? innerException)
        : base(ErrorCode.InvalidAcl, null, message, innerException)
    {
    }

    public InvalidAclException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.InvalidAcl, path, message, innerException)
    {
    }
}
