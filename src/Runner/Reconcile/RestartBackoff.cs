namespace Cloud.Runner.Reconcile;

/// <summary>Exponential backoff with jitter: initial × 2^(attempt-1), capped, then spread ±20%.</summary>
internal static class RestartBackoff
{
    /// <param name="attempt">1 for the wait after the first restart.</param>
    /// <param name="jitter">A value in [0, 1), e.g. <see cref="Random.NextDouble"/>.</param>
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max, double jitter)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var ticks = Math.Min(max.Ticks, initial.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)(ticks * (0.8 + (0.4 * jitter))));
    }
}
