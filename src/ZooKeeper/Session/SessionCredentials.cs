namespace Cloud.ZooKeeper.Session;

/// <summary>What a reconnect presents to resume a session.</summary>
internal sealed record SessionCredentials(long SessionId, byte[] Password)
{
    public static SessionCredentials None { get; } = new(0, new byte[16]);
}
