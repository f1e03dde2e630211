namespace Cloud.Runner.Reconcile;

/// <summary>
/// How applying one action ended. <see cref="Error"/> is null on success; <see cref="IsRefusal"/>
/// marks a definition refused by a rule checked at apply time (a symbolic link among its bind sources).
/// </summary>
internal sealed record ActionOutcome(string Name, string? Hash, string? Error, bool IsRefusal = false)
{
    public bool Succeeded => Error is null;

    public static ActionOutcome Success(string name, string? hash) => new(name, hash, null);
}
