namespace Cloud.ElasticsearchNode.Cluster.State;

/// <summary>A node withdrawn from the voting configuration by <c>POST _cluster/voting_config_exclusions</c>.</summary>
internal sealed record VotingConfigExclusion(string NodeId, string NodeName);
