namespace Cloud.Proxy.FastPath;

/// <summary>
/// How many requests the fast path forwarded and how many connections it handed to Kestrel and YARP; read by the
/// tests to prove which path served them. Two increments per request at most, no tags, no allocation.
/// </summary>
internal sealed class FastPathCounters
{
    private long _forwarded;
    private long _handedOff;

    public long Forwarded => Interlocked.Read(ref _forwarded);

    public long HandedOff => Interlocked.Read(ref _handedOff);

    public void CountForwarded() => Interlocked.Increment(ref _forwarded);

    public void CountHandedOff() => Interlocked.Increment(ref _handedOff);
}
