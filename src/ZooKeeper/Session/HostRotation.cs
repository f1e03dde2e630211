namespace Cloud.ZooKeeper.Session;

/// <summary>Hands out the servers round-robin, starting from a random one so clients spread over the ensemble.</summary>
internal sealed class HostRotation
{
    private readonly HostEndpoint[] _hosts;
    private int _next;

    public HostRotation(IReadOnlyList<HostEndpoint> hosts)
    {
        _hosts = [.. hosts];
        Random.Shared.Shuffle(_hosts);
    }

    public int Count => _hosts.Length;

    public HostEndpoint Next()
    {
        var host = _hosts[_next];
        _next = (_next + 1) % _hosts.Length;
        return host;
    }
}
