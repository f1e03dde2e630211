namespace Cloud.ZooKeeper.Recipes;

/// <summary>One cached child: its name (not the full path), data and stat.</summary>
public sealed record ChildData(string Name, byte[] Data, Stat Stat);
