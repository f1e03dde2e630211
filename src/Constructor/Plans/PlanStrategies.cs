namespace Cloud.Constructor.Plans;

/// <summary>The plan strategies of DESIGN.md, and the rolling groupings.</summary>
public static class PlanStrategies
{
    public const string GrowAndShrink = "grow_and_shrink";
    public const string RollingGrowAndShrink = "rolling_grow_and_shrink";
    public const string Rolling = "rolling";
    public const string Autodetect = "autodetect";

    public const string GroupByAll = "__all__";
    public const string GroupByZone = "__zone__";
    public const string GroupByName = "__name__";

    public static IReadOnlyList<string> All { get; } = [GrowAndShrink, RollingGrowAndShrink, Rolling, Autodetect];

    public static IReadOnlyList<string> Groupings { get; } = [GroupByAll, GroupByZone, GroupByName];
}
