namespace Cloud.Constructor.Plans;

/// <summary>How to get to the plan (not part of the desired state): strategy and its settings.</summary>
public sealed record TransientSpec
{
    /// <summary>See <see cref="PlanStrategies"/>; <c>grow_and_shrink</c> when absent.</summary>
    public string? Strategy { get; init; }

    public RollingSpec? Rolling { get; init; }

    public PlanConfigurationSpec? PlanConfiguration { get; init; }
}
