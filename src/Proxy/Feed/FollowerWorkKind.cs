namespace Cloud.Proxy.Feed;

internal enum FollowerWorkKind
{
    /// <summary>A node below the root was created, changed or deleted.</summary>
    NodeChanged,

    /// <summary>The connection dropped: events may be missed until the next resync.</summary>
    Disconnected,

    /// <summary>Reconnected within the same session: the watch is still set, but changes made meanwhile were not delivered.</summary>
    Reconnected,

    /// <summary>A new session (after expiry): the watch is gone and must be set again.</summary>
    NewSession,

    /// <summary>The session expired: the watch is gone.</summary>
    WatchLost,

    /// <summary>Re-read everything (after a failed read).</summary>
    Resync,
}
