namespace Cloud.ElasticsearchNode.Engine;

/// <summary>What a shard did with one write: the outcome and the version, sequence number and term it got.</summary>
internal sealed record WriteResult(string Id, WriteOutcome Outcome, long Version, long SeqNo, long PrimaryTerm);
