namespace Cloud.ZooKeeper.Session;

internal sealed record HostEndpoint(string Host, int Port)
{
    public override string ToString() => $"{Host}:{Port}";
}
