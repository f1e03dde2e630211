using Cloud.ZooKeeper.Jute;

namespace Cloud.ZooKeeper.Protocol;

internal readonly record struct WatcherEvent(EventType Type, KeeperState State, string? Path)
{
    public static WatcherEvent Read(ref JuteReader reader) =>
        new((EventType)reader.ReadInt(), (KeeperState)reader.ReadInt(), reader.ReadString());
}
