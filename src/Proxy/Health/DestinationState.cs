namespace Cloud.Proxy.Health;

/// <summary>
/// What the proxy knows about one backend address (<c>host:port</c>) across routing changes: its
/// in-flight request count (for least-requests balancing) and whether a connection to it failed.
/// Thread-safe without locks: it is read and written on the request path.
/// </summary>
internal sealed class DestinationState
{
    private int _active;
    private int _failed;

    public DestinationState(string host, int port)
    {
        Host = host;
        Port = port;
        Address = $"{host}:{port}";
        Prefix = $"http://{Address}/";
    }

    public string Host { get; }

    public int Port { get; }

    /// <summary><c>host:port</c>.</summary>
    public string Address { get; }

    /// <summary>The URL prefix requests are forwarded to.</summary>
    public string Prefix { get; }

    public int ActiveRequests => Volatile.Read(ref _active);

    /// <summary>False from a failed connection until a probe succeeds.</summary>
    public bool IsHealthy => Volatile.Read(ref _failed) == 0;

    public void RequestStarted() => Interlocked.Increment(ref _active);

    public void RequestEnded() => Interlocked.Decrement(ref _active);

    /// <summary>Takes the destination out of rotation; true when it was healthy until now.</summary>
    public bool MarkFailed() => Interlocked.Exchange(ref _failed, 1) == 0;

    /// <summary>Puts the destination back into rotation; true when it had failed.</summary>
    public bool MarkHealthy() => Interlocked.Exchange(ref _failed, 0) == 1;
}
