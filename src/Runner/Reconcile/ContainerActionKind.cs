namespace Cloud.Runner.Reconcile;

/// <summary>What a reconcile pass does to one container name.</summary>
internal enum ContainerActionKind
{
    /// <summary>The container matches its definition (adopted as it is); nothing to do.</summary>
    Keep,

    /// <summary>No container yet: create and start one.</summary>
    Create,

    /// <summary>The container was made from another definition (or is dead): stop, remove, create, start.</summary>
    Recreate,

    /// <summary>Owned, but its definition is gone: stop gracefully and remove.</summary>
    Remove,

    /// <summary>Created but never started: start it.</summary>
    Start,

    /// <summary>Exited: Docker's restart policy restarts it or, having decided not to, leaves it exited.</summary>
    LeaveExited,

    /// <summary>The definition breaks a rule; whatever runs is left as it is.</summary>
    Refuse,
}
