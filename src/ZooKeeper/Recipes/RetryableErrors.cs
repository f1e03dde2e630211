namespace Cloud.ZooKeeper.Recipes;

/// <summary>Which errors a recipe waits out and retries.</summary>
internal static class RetryableErrors
{
    /// <summary>Connection trouble and expiry (the session is renewed).</summary>
    public static bool IsRetryable(Exception exception) =>
        exception is ZooKeeperException { IsTransient: true } or SessionExpiredException;
}
