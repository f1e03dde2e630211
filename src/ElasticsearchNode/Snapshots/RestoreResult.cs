using System.Collections.Immutable;

namespace Cloud.ElasticsearchNode.Snapshots;

/// <summary>What a finished restore recreated: the indices (by their new names) and how many shards.</summary>
internal sealed record RestoreResult(string Snapshot, ImmutableArray<string> Indices, int Shards);
