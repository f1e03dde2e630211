namespace Cloud.ZooKeeper.Recipes;

/// <summary>One unit of work for the cache loop: re-read everything, the child list, one child, or note a disconnect.</summary>
internal sealed record CacheWork(CacheWorkKind Kind, string? Name = null)
{
    public static CacheWork Resync { get; } = new(CacheWorkKind.Resync);

    public static CacheWork Children { get; } = new(CacheWorkKind.Children);

    public static CacheWork Disconnected { get; } = new(CacheWorkKind.Disconnected);
}
