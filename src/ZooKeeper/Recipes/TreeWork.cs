namespace Cloud.ZooKeeper.Recipes;

/// <summary>One input of the tree cache loop: a node event, a connection change, a lost watch or a resync request.</summary>
internal sealed record TreeWork(TreeWorkKind Kind, string? Path = null)
{
    public static TreeWork Resync { get; } = new(TreeWorkKind.Resync);

    public static TreeWork Disconnected { get; } = new(TreeWorkKind.Disconnected);

    public static TreeWork Reconnected { get; } = new(TreeWorkKind.Reconnected);

    public static TreeWork NewSession { get; } = new(TreeWorkKind.NewSession);

    public static TreeWork WatchLost { get; } = new(TreeWorkKind.WatchLost);
}
