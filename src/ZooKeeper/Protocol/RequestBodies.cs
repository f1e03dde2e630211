using Cloud.ZooKeeper.Jute;

namespace Cloud.ZooKeeper.Protocol;

/// <summary>Request bodies shared by single calls and multi ops.</summary>
internal static class RequestBodies
{
    public static void WriteCreate(JuteWriter writer, string serverPath, byte[] data, IReadOnlyList<Acl> acl, CreateMode mode)
    {
        writer.WriteString(serverPath);
        writer.WriteBuffer(data);
        writer.WriteInt(acl.Count);
        foreach (var entry in acl)
        {
            entry.Write(writer);
        }

        writer.WriteInt((int)mode);
    }

    /// <summary>A container is created with its own request type (its reply carries the stat, like create2).</summary>
    public static OpCode CreateOpCode(CreateMode mode) => mode == CreateMode.Container ? OpCode.CreateContainer : OpCode.Create;

    public static void WritePathAndWatch(JuteWriter writer, string serverPath, bool watch)
    {
        writer.WriteString(serverPath);
        writer.WriteBool(watch);
    }
}
