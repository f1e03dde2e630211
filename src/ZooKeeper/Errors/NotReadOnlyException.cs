namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.NotReadOnly"/>.</summary>
public sealed class NotReadOnlyException : ZooKeeperException
{
    public NotReadOnlyException()
        : base(ErrorCode.NotReadOnly, null, null)
    {
    }

    public NotReadOnlyException(string? message)
        : base(ErrorCode.NotReadOnly, null, message)
    {
    }

    public NotReadOnlyException(string? message, Exception? innerException)
        : base(ErrorCode.NotReadOnly, null, message, innerException)
    {
    }

    public NotReadOnlyException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.NotReadOnly, path, message, innerException)
    {
    }
}
