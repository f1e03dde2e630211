using Cloud.ZooKeeper.Jute;

namespace Cloud.ZooKeeper.Protocol;

/// <summary>The handshake answer. A timeout of zero or less means the requested session has expired.</summary>
internal readonly record struct ConnectResponse(int ProtocolVersion, int TimeoutMs, long SessionId, byte[] Password)
{
    public static ConnectResponse Read(ref JuteReader reader)
    {
        var version = reader.ReadInt();
        var timeout = reader.ReadInt();
        var sessionId = reader.ReadLong();
        var password = reader.ReadBuffer() ?? [];
        return new ConnectResponse(version, timeout, sessionId, password);
    }
}
