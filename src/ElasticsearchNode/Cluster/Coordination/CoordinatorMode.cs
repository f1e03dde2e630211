namespace Cloud.ElasticsearchNode.Cluster.Coordination;

internal enum CoordinatorMode
{
    Candidate,
    Leader,
    Follower,
}
