using Cloud.ZooKeeper.Jute;
using Cloud.ZooKeeper.Protocol;

namespace Cloud.ZooKeeper;

/// <summary>Creates a node; a null <paramref name="Acl"/> means the client's <see cref="ZooKeeperClientOptions.DefaultAcl"/>, as for a single create.</summary>
public sealed record CreateOp(string Path, byte[] Data, CreateMode Mode, IReadOnlyList<Acl>? Acl) : Op(Path)
{
    internal override OpCode Code => RequestBodies.CreateOpCode(Mode);

    private bool IsSequential => Mode is CreateMode.PersistentSequential or CreateMode.EphemeralSequential;

    internal override void Validate() => PathValidator.Validate(Path, IsSequential);

    internal override string ServerPath(Session.ConnectString connectString) => connectString.ToServerCreatePath(Path, IsSequential);

    internal override void WriteBody(JuteWriter writer, string serverPath, Func<string, IReadOnlyList<Acl>> defaultAcl) =>
        RequestBodies.WriteCreate(writer, serverPath, Data, Acl ?? defaultAcl(Path), Mode);
}
