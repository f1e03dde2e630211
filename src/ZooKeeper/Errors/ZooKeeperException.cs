namespace Cloud.ZooKeeper;

/// <summary>A ZooKeeper operation failed with <see cref="Code"/>. One subclass exists per error code.</summary>
public abstract class ZooKeeperException : Exception
{
    protected ZooKeeperException(ErrorCode code, string? path, string? message, Exception? innerException = null)
        : base(message ?? DefaultMessage(code, path), innerException)
    {
        Code = code;
        Path = path;
    }

    public ErrorCode Code { get; }

    /// <summary>The path the failing operation addressed, when there is one.</summary>
    public string? Path { get; }

    /// <summary>For a failed multi: the result of every op (the failing one is an <see cref="ErrorResult"/>).</summary>
    public IReadOnlyList<OpResult>? MultiResults { get; internal set; }

    /// <summary>True for errors after which the same call may succeed when retried (connection problems, timeouts, throttling).</summary>
    public bool IsTransient => Code is ErrorCode.ConnectionLoss or ErrorCode.OperationTimeout or ErrorCode.RequestTimeout
        or ErrorCode.Throttled or ErrorCode.SessionMoved;

    private static string DefaultMessage(ErrorCode code, string? path) =>
        path is null ? $"ZooKeeper error {code} ({(int)code})." : $"ZooKeeper error {code} ({(int)code}) for {path}.";
}
