using System.Collections.Immutable;

namespace Cloud.Shared.Containers;

/// <summary>Docker's health check; durations in nanoseconds as the Engine API takes them.</summary>
public sealed record HealthcheckSpec
{
    public ImmutableArray<string>? Test { get; init; }

    public long? Interval { get; init; }

    public long? Timeout { get; init; }

    public int? Retries { get; init; }

    public long? StartPeriod { get; init; }
}
