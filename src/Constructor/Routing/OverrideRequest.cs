using System.Collections.Immutable;

namespace Cloud.Constructor.Routing;

/// <summary><c>PUT .../routing/overrides/{override_id}</c> body.</summary>
public sealed record OverrideRequest
{
    public string? Action { get; init; }

    public ImmutableArray<string>? Instances { get; init; }

    public string? TargetClusterId { get; init; }

    public string? Reason { get; init; }

    /// <summary>Seconds until it expires; null or absent: never.</summary>
    public long? TtlSeconds { get; init; }
}
