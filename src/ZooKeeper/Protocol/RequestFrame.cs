using Cloud.ZooKeeper.Jute;

namespace Cloud.ZooKeeper.Protocol;

/// <summary>Starts a request frame: length (patched later), xid (patched by the send loop), type.</summary>
internal static class RequestFrame
{
    /// <summary>Offset of the xid inside a frame.</summary>
    public const int XidOffset = 4;

    public static JuteWriter Start(OpCode type, int xid = 0, int capacity = 256)
    {
        var writer = new JuteWriter(capacity);
        writer.WriteInt(xid);
        writer.WriteInt((int)type);
        return writer;
    }
}
