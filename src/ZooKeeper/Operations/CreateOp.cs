using Cloud.ZooKeeper.Jute;
using Cloud.ZooKeeper.Protocol;

namespace Cloud.ZooKeeper;

public sealed record CreateOp(string Path, byte[] Data, CreateMode Mode, IReadOnlyList<Acl> Acl) : Op(Path)
{
    internal override OpCode Code => RequestBodies.CreateOpCode(Mode);

    private bool IsSequential => Mode is CreateMode.PersistentSequential or CreateMode.EphemeralSequential;

    internal override void Validate() => PathValidator.Validate(Path, IsSequential);

    internal override string ServerPath(Session.ConnectString connectString) => connectString.ToServerCreatePath(Path, IsSequential);

    internal override void WriteBody(JuteWriter writer, string serverPath) =>
        RequestBodies.WriteCreate(writer, serverPath, Data, Acl, Mode);
}
