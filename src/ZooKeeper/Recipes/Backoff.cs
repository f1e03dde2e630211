namespace Cloud.ZooKeeper.Recipes;

/// <summary>Exponential backoff with full jitter for recipe retries.</summary>
internal static class Backoff
{
    public static TimeSpan Delay(int attempt, TimeSpan? max = null)
    {
        var capMs = (max ?? TimeSpan.FromSeconds(5)).TotalMilliseconds;
        var ceiling = Math.Min(capMs, 50 * Math.Pow(2, Math.Min(attempt, 16)));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }

    /// <summary>Errors a recipe waits out and retries: connection trouble and expiry (the session is renewed).</summary>
    public static bool IsRetryable(Exception exception) =>
        exception is ZooKeeperException { IsTransient: true } or SessionExpiredException;
}
