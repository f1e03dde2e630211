using Cloud.ZooKeeper.Jute;

namespace Cloud.ZooKeeper;

/// <summary>The metadata ZooKeeper keeps for a znode.</summary>
public sealed record Stat(
    long Czxid,
    long Mzxid,
    long Ctime,
    long Mtime,
    int Version,
    int Cversion,
    int Aversion,
    long EphemeralOwner,
    int DataLength,
    int NumChildren,
    long Pzxid)
{
    internal static Stat Read(ref JuteReader reader) => new(
        reader.ReadLong(),
        reader.ReadLong(),
        reader.ReadLong(),
        reader.ReadLong(),
        reader.ReadInt(),
        reader.ReadInt(),
        reader.ReadInt(),
        reader.ReadLong(),
        reader.ReadInt(),
        reader.ReadInt(),
        reader.ReadLong());
}
