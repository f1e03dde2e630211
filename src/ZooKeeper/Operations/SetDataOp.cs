using Cloud.ZooKeeper.Jute;
using Cloud.ZooKeeper.Protocol;

namespace Cloud.ZooKeeper;

public sealed record SetDataOp(string Path, byte[] Data, int Version) : Op(Path)
{
    internal override OpCode Code => OpCode.SetData;

    internal override void Validate() => PathValidator.Validate(Path);

    internal override void WriteBody(JuteWriter writer, string serverPath, Func<string, IReadOnlyList<Acl>> defaultAcl)
    {
        writer.WriteString(serverPath);
        writer.WriteBuffer(Data);
        writer.WriteInt(Version);
    }
}
