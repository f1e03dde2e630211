using Cloud.ZooKeeper.Jute;
using Cloud.ZooKeeper.Protocol;

namespace Cloud.ZooKeeper;

public sealed record CheckOp(string Path, int Version) : Op(Path)
{
    internal override OpCode Code => OpCode.Check;

    internal override void Validate() => PathValidator.Validate(Path);

    internal override void WriteBody(JuteWriter writer, string serverPath, Func<string, IReadOnlyList<Acl>> defaultAcl)
    {
        writer.WriteString(serverPath);
        writer.WriteInt(Version);
    }
}
