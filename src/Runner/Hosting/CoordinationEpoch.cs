namespace Cloud.Runner.Hosting;

/// <summary>
/// Counts connection losses. The connection-state handler only advances it; a definitions snapshot is
/// tagged with the epoch it was read in and acted on only while the epoch is unchanged, so the authority
/// of the definitions has a single writer (the definitions loop) and a loss takes effect at once.
/// </summary>
internal sealed class CoordinationEpoch
{
    private long _current;

    public long Current => Interlocked.Read(ref _current);

    public void Advance() => Interlocked.Increment(ref _current);
}
