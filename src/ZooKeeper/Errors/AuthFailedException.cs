namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.AuthFailed"/>.</summary>
public sealed class AuthFailedException : ZooKeeperException
{
    public AuthFailedException()
        : base(ErrorCode.AuthFailed, null, null)
    {
    }

    public AuthFailedException(string? message)
        : base(ErrorCode.AuthFailed, null, message)
    {
    }

    public AuthFailedException(string? message, Exception? innerException)
        : base(ErrorCode.AuthFailed, null, message, innerException)
    {
    }

    public AuthFailedException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.AuthFailed, path, message, innerException)
    {
    }
}
