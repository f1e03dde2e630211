namespace Cloud.Constructor.Plans;

/// <summary><c>rolling.group_by</c>: <c>__all__</c>, <c>__zone__</c> (default) or <c>__name__</c>.</summary>
public sealed record RollingSpec
{
    public string? GroupBy { get; init; }
}
