namespace Cloud.ZooKeeper;

/// <summary>The server answered with an error code this client does not know.</summary>
public sealed class UnknownErrorException : ZooKeeperException
{
    public UnknownErrorException(int rawCode, string? path)
        : base((ErrorCode)rawCode, path, $"ZooKeeper error code {rawCode} (unknown to this client){(path is null ? string.Empty : " for " + path)}.")
    {
    }
}
