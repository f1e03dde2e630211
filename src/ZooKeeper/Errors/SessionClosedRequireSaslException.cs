namespace Cloud.ZooKeeper;

/// <summary>ZooKeeper error <see cref="ErrorCode.SessionClosedRequireSasl"/>.</summary>
public sealed class SessionClosedRequireSaslException : ZooKeeperException
{
    public SessionClosedRequireSaslException()
        : base(ErrorCode.SessionClosedRequireSasl, null, null)
    {
    }

    public SessionClosedRequireSaslException(string? message)
        : base(ErrorCode.SessionClosedRequireSasl, null, message)
    {
    }

    public SessionClosedRequireSaslException(string? message, Exception? innerException)
        : base(ErrorCode.SessionClosedRequireSasl, null, message, innerException)
    {
    }

    public SessionClosedRequireSaslException(string? path, string? message, Exception? innerException = null)
        : base(ErrorCode.SessionClosedRequireSasl, path, message, innerException)
    {
    }
}
