namespace Cloud.Constructor.Plans;

/// <summary><c>transient.plan_configuration</c>.</summary>
public sealed record PlanConfigurationSpec
{
    /// <summary>Whole-plan deadline; by default 4 s per MB of the largest node (as Elastic Cloud Enterprise).</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>
    /// Allows a version change together with a topology change: the constructor then runs two
    /// recorded phases (topology first at the old version, then a rolling version change), each safe alone.
    /// </summary>
    public bool TwoPhase { get; init; }
}
