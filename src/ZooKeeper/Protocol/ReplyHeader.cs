using Cloud.ZooKeeper.Jute;

namespace Cloud.ZooKeeper.Protocol;

internal readonly record struct ReplyHeader(int Xid, long Zxid, ErrorCode Err)
{
    public static ReplyHeader Read(ref JuteReader reader) =>
        new(reader.ReadInt(), reader.ReadLong(), (ErrorCode)reader.ReadInt());
}
