namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.QuotaExceeded"/>.</summary>
public sealed class QuotaExceededException : ZooKeeperException
{
    public QuotaExceededException()
        : base(ErrorCode.QuotaExceeded, null, null)
    {
    }

    public QuotaExceededException(string? message)
        : base(ErrorCode.QuotaExceeded, null, message)
    {
    }

    public QuotaExceededException(string? message, Exception? innerException)
        : base(ErrorCode.QuotaExceeded, null, message, innerException)
    {
    }

    public QuotaExceededException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.QuotaExceeded, path, message, innerException)
    {
    }
}
