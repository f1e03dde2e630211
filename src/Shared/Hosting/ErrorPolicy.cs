namespace Cloud.Shared.Hosting;

/// <summary>
/// The one rule every agent loop follows for exceptions. Only its own cancellation is a clean stop;
/// a fatal exception (the process itself is broken: out of memory, a corrupt runtime) stops the host so
/// its supervisor restarts it; everything else (ZooKeeper, Docker, the file system, a bug in one item's
/// handling) is transient: recorded where it happened (the item's status) and retried with backoff.
/// </summary>
public static class ErrorPolicy
{
    public static bool IsFatal(Exception exception) =>
        exception is OutOfMemoryException or InsufficientExecutionStackException or AccessViolationException
            or InvalidProgramException or BadImageFormatException or TypeLoadException;

    /// <summary>True for what a loop retries: anything but a fatal exception or the loop's own cancellation.</summary>
    public static bool IsRetried(Exception exception, CancellationToken stopping) =>
        !IsFatal(exception) && !(exception is OperationCanceledException && stopping.IsCancellationRequested);
}
