namespace Cloud.ElasticsearchNode.Search;

/// <summary>A shard a search could not use, and why (the search answers with the other shards).</summary>
internal sealed record ShardFailure(string Index, int Shard, string Type, string Reason);
