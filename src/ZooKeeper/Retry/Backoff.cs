namespace Cloud.ZooKeeper;

/// <summary>
/// The one jittered exponential backoff every retry loop uses. The ceiling of attempt n (1 = the wait after
/// the first failure) is <see cref="Initial"/> × 2^(n−1), capped at <see cref="Max"/>; the delay is that
/// ceiling shortened by up to <see cref="Jitter"/> of it, at random, so that many clients failing together
/// do not retry together. Immutable and thread-safe; the caller keeps its own attempt count.
/// </summary>
public sealed record Backoff
{
    /// <param name="initial">The ceiling of the first attempt; more than zero.</param>
    /// <param name="max">The largest ceiling; at least <paramref name="initial"/>.</param>
    /// <param name="jitter">The share of the ceiling removed at random, in [0, 1]: 0 waits exactly the ceiling, 1 anything up to it.</param>
    public Backoff(TimeSpan initial, TimeSpan max, double jitter = 0.5)
    {
        if (initial <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(initial), initial, "The initial backoff must be more than zero.");
        }

        if (max < initial)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, $"The maximum backoff must be at least the initial one ({initial}).");
        }

        if (double.IsNaN(jitter) || jitter is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "The jitter must be between 0 and 1.");
        }

        Initial = initial;
        Max = max;
        Jitter = jitter;
    }

    /// <summary>What the ZooKeeper recipes use: 50 ms doubling up to 5 s, half jitter.</summary>
    public static Backoff Default { get; } = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5));

    public TimeSpan Initial { get; }

    public TimeSpan Max { get; }

    public double Jitter { get; }

    /// <summary>The largest delay attempt <paramref name="attempt"/> can get (zero for attempt 0 or less).</summary>
    public TimeSpan Ceiling(int attempt)
    {
        if (attempt <= 0)
        {
            return TimeSpan.Zero;
        }

        // Past 2^40 × Initial every sane cap is reached; stop doubling before the ticks overflow.
        var ticks = Initial.Ticks * Math.Pow(2, Math.Min(attempt - 1, 40));
        return ticks >= Max.Ticks ? Max : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The delay of attempt <paramref name="attempt"/> for a given random draw <paramref name="random"/> in [0, 1).</summary>
    public TimeSpan Delay(int attempt, double random)
    {
        var ceiling = Ceiling(attempt);
        var draw = Math.Clamp(random, 0, 1);
        return TimeSpan.FromTicks((long)(ceiling.Ticks * (1 - (Jitter * draw))));
    }

    /// <summary>The delay of attempt <paramref name="attempt"/>, drawn from <see cref="Random.Shared"/>.</summary>
    public TimeSpan Delay(int attempt) => Delay(attempt, Random.Shared.NextDouble());

    /// <summary>Waits the delay of attempt <paramref name="attempt"/> on <paramref name="timeProvider"/> (a FakeTimeProvider in tests).</summary>
    public Task WaitAsync(int attempt, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var delay = Delay(attempt);
        return delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, timeProvider, cancellationToken);
    }
}
