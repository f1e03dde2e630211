namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.ReconfigDisabled"/>.</summary>
public sealed class ReconfigDisabledException : ZooKeeperException
{
    public ReconfigDisabledException()
        : base(ErrorCode.ReconfigDisabled, null, null)
    {
    }

    public ReconfigDisabledException(string? message)
        : base(ErrorCode.ReconfigDisabled, null, message)
    {
    }

    public ReconfigDisabledException(string? message, Exception? innerException)
        : base(ErrorCode.ReconfigDisabled, null, message, innerException)
    {
    }

    public ReconfigDisabledException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.ReconfigDisabled, path, message, innerException)
    {
    }
}
