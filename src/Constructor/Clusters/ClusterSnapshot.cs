namespace Cloud.Constructor.Clusters;

/// <summary>A cluster's record and plans as read, with the plan node's version for compare-and-swap.</summary>
public sealed record ClusterSnapshot(ClusterRecord Record, ClusterPlans Plans, int PlansVersion);
