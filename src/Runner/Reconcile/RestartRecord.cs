namespace Cloud.Runner.Reconcile;

/// <summary>
/// The runner's restarts of one container (by id): <see cref="Attempts"/> since it last ran stably
/// (drives the backoff), <see cref="Total"/> over its life (published), and when the next may happen.
/// </summary>
internal sealed record RestartRecord(string ContainerId, int Attempts, int Total, DateTimeOffset NextAttemptAt);
