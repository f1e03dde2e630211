namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.EphemeralOnLocalSession"/>.</summary>
public sealed class EphemeralOnLocalSessionException : ZooKeeperException
{
    public EphemeralOnLocalSessionException()
        : base(ErrorCode.EphemeralOnLocalSession, null, null)
    {
    }

    public EphemeralOnLocalSessionException(string? message)
        : base(ErrorCode.EphemeralOnLocalSession, null, message)
    {
    }

    public EphemeralOnLocalSessionException(string? message, Exception? innerException)
        : base(ErrorCode.EphemeralOnLocalSession, null, message, innerException)
    {
    }

    public EphemeralOnLocalSessionException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.EphemeralOnLocalSession, path, message, innerException)
    {
    }
}
