namespace Cloud.ZooKeeper.Protocol;

/// <summary>Reserved transaction ids the server and client use for out-of-band packets.</summary>
internal static class Xids
{
    public const int Notification = -1;
    public const int Ping = -2;
    public const int Auth = -4;
    public const int SetWatches = -8;
}
