using Cloud.ZooKeeper.Jute;

namespace Cloud.ZooKeeper.Protocol;

/// <summary>The handshake: protocol version 0, last zxid seen, requested timeout, session to resume (0 for new), its password, readOnly=false.</summary>
internal readonly record struct ConnectRequest(long LastZxidSeen, int TimeoutMs, long SessionId, byte[] Password)
{
    public (byte[] Buffer, int Length) ToFrame()
    {
        using var writer = new JuteWriter(64);
        writer.WriteInt(0);
        writer.WriteLong(LastZxidSeen);
        writer.WriteInt(TimeoutMs);
        writer.WriteLong(SessionId);
        writer.WriteBuffer(Password);
        writer.WriteBool(false);
        return writer.DetachFrame();
    }
}
