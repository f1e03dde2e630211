using Cloud.ZooKeeper.Jute;
using Cloud.ZooKeeper.Protocol;

namespace Cloud.ZooKeeper;

/// <summary>One operation of an atomic <see cref="ZooKeeperClient.MultiAsync"/> transaction.</summary>
public abstract record Op(string Path)
{
    internal abstract OpCode Code { get; }

    public static Op Create(string path, byte[] data, CreateMode mode = CreateMode.Persistent, IReadOnlyList<Acl>? acl = null) =>
        new CreateOp(path, data, mode, acl);

    public static Op Delete(string path, int version = -1) => new DeleteOp(path, version);

    public static Op SetData(string path, byte[] data, int version = -1) => new SetDataOp(path, data, version);

    public static Op Check(string path, int version) => new CheckOp(path, version);

    internal abstract void Validate();

    /// <summary>The path sent to the server for this op.</summary>
    internal virtual string ServerPath(Session.ConnectString connectString) => connectString.ToServerPath(Path);

    internal abstract void WriteBody(JuteWriter writer, string serverPath, Func<string, IReadOnlyList<Acl>> defaultAcl);
}
