using Cloud.ZooKeeper.Jute;
using Cloud.ZooKeeper.Protocol;

namespace Cloud.ZooKeeper;

public sealed record DeleteOp(string Path, int Version) : Op(Path)
{
    internal override OpCode Code => OpCode.Delete;

    internal override void Validate() => PathValidator.Validate(Path);

    internal override string ServerPath(Session.ConnectString connectString) => connectString.ToServerDeletePath(Path);

    internal override void WriteBody(JuteWriter writer, string serverPath, Func<string, IReadOnlyList<Acl>> defaultAcl)
    {
        writer.WriteString(serverPath);
        writer.WriteInt(Version);
    }
}
