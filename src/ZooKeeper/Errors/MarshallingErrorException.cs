namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.MarshallingError"/>.</summary>
public sealed class MarshallingErrorException : ZooKeeperException
{
    public MarshallingErrorException()
        : base(ErrorCode.MarshallingError, null, null)
    {
    }

    public MarshallingErrorException(string? message)
        : base(ErrorCode.MarshallingError, null, message)
    {
    }

    public MarshallingErrorException(string? message, Exception? innerException)
        : base(ErrorCode.MarshallingError, null, message, innerException)
    {
    }

    public MarshallingErrorException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.MarshallingError, path, message, innerException)
    {
    }
}
