using System.Collections.Immutable;

namespace Cloud.ElasticsearchNode.Cluster.State;

/// <summary>A registered snapshot repository (<c>PUT _snapshot/{repo}</c>).</summary>
internal sealed record SnapshotRepository(string Name, string Type, ImmutableSortedDictionary<string, string> Settings);
