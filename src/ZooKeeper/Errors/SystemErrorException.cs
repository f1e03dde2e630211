namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.SystemError"/>.</summary>
public sealed class SystemErrorException : ZooKeeperException
{
    public SystemErrorException()
        : base(ErrorCode.SystemError, null, null)
    {
    }

    public SystemErrorException(string? message)
        : base(ErrorCode.SystemError, null, message)
    {
    }

    public SystemErrorException(string? message, Exception? innerException)
        : base(ErrorCode.SystemError, null, message, innerException)
    {
    }

    public SystemErrorException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.SystemError, path, message, innerException)
    {
    }
}
