namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.ApiError"/>.</summary>
public sealed class ApiErrorException : ZooKeeperException
{
    public ApiErrorException()
        : base(ErrorCode.ApiError, null, null)
    {
    }

    public ApiErrorException(string? message)
        : base(ErrorCode.ApiError, null, message)
    {
    }

    public ApiErrorException(string? message, Exception? innerException)
        : base(ErrorCode.ApiError, null, message, innerException)
    {
    }

    public ApiErrorException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.ApiError, path, message, innerException)
    {
    }
}
