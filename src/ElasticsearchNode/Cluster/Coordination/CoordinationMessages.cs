using Cloud.ElasticsearchNode.Cluster.State;

namespace Cloud.ElasticsearchNode.Cluster.Coordination;

// The coordination protocol's messages, kept together because each is a one-line record.

/// <summary>Discovery probe: who are you, whom do you know, who is your master.</summary>
internal sealed record PeersRequest(DiscoveryNode Source, IReadOnlyList<string> KnownPeers);

internal sealed record PeersResponse(DiscoveryNode Node, DiscoveryNode? Master, IReadOnlyList<string> KnownPeers, long Term);

/// <summary>Would you vote for me? Asked before bumping any term, so an isolated node cannot disrupt the cluster.</summary>
internal sealed record PreVoteRequest(DiscoveryNode Source, long CurrentTerm, long LastAcceptedTerm, long LastAcceptedVersion);

/// <summary><see cref="Master"/> is set when the answering node is the master itself: the candidate should join it, not depose it.</summary>
internal sealed record PreVoteResponse(bool Granted, long CurrentTerm, long LastAcceptedTerm, long LastAcceptedVersion, string Reason, DiscoveryNode? Master = null);

/// <summary>Join me in term <see cref="Term"/>: a node answers at most once per term.</summary>
internal sealed record StartJoinRequest(DiscoveryNode Candidate, long Term);

internal sealed record Join(DiscoveryNode Voter, long Term, long LastAcceptedTerm, long LastAcceptedVersion);

/// <summary>A node that found the master asks to be added to the cluster.</summary>
internal sealed record JoinRequest(DiscoveryNode Node, long Term, string ClusterUuid, bool ClusterUuidCommitted);

internal sealed record PublishRequest(ClusterState State);

internal sealed record PublishResponse(long Term, long Version);

internal sealed record CommitRequest(long Term, long Version);

internal sealed record FollowerCheckRequest(long Term, DiscoveryNode Master);

internal sealed record LeaderCheckRequest(DiscoveryNode Source);

internal sealed record Empty
{
    public static Empty Instance { get; } = new();
}

internal static class CoordinationActions
{
    public const string Peers = "internal:discovery/request_peers";
    public const string PreVote = "internal:cluster/request_pre_vote";
    public const string StartJoin = "internal:cluster/coordination/start_join";
    public const string Join = "internal:cluster/coordination/join";
    public const string Publish = "internal:cluster/coordination/publish_state";
    public const string Commit = "internal:cluster/coordination/commit_state";
    public const string FollowerCheck = "internal:coordination/fault_detection/follower_check";
    public const string LeaderCheck = "internal:coordination/fault_detection/leader_check";
}
