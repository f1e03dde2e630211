namespace Cloud.Proxy.FastPath;

/// <summary>
/// When a fast-path connection last moved bytes, and whether a request is in flight on it: written on the request
/// path (one tick count per relayed read, no timer per request), read by <see cref="IdleConnectionReaper"/>.
/// </summary>
internal sealed class ActivityClock
{
    private long _lastActivity = Environment.TickCount64;
    private int _inRequest;

    public long LastActivity => Volatile.Read(ref _lastActivity);

    public bool InRequest => Volatile.Read(ref _inRequest) == 1;

    public void Touch() => Volatile.Write(ref _lastActivity, Environment.TickCount64);

    public void RequestStarted()
    {
        Volatile.Write(ref _inRequest, 1);
        Touch();
    }

    public void RequestEnded()
    {
        Volatile.Write(ref _inRequest, 0);
        Touch();
    }
}
