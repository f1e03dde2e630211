namespace Cloud.Proxy.Feed;

/// <summary>One item for a <see cref="SubtreeFollower"/>'s loop: a watch event's path, or a connection change.</summary>
internal readonly record struct FollowerWork(FollowerWorkKind Kind, string? Path = null)
{
    public static FollowerWork Disconnected { get; } = new(FollowerWorkKind.Disconnected);

    public static FollowerWork Reconnected { get; } = new(FollowerWorkKind.Reconnected);

    public static FollowerWork NewSession { get; } = new(FollowerWorkKind.NewSession);

    public static FollowerWork WatchLost { get; } = new(FollowerWorkKind.WatchLost);

    public static FollowerWork Resync { get; } = new(FollowerWorkKind.Resync);
}
