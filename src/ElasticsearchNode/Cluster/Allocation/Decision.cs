namespace Cloud.ElasticsearchNode.Cluster.Allocation;

/// <summary>A decider's verdict: YES, NO, or THROTTLE (allowed, but not now), with its reason for allocation explain.</summary>
internal sealed record Decision(DecisionType Type, string Decider, string Explanation)
{
    public static Decision Yes(string decider, string explanation) => new(DecisionType.Yes, decider, explanation);

    public static Decision No(string decider, string explanation) => new(DecisionType.No, decider, explanation);

    public static Decision Throttle(string decider, string explanation) => new(DecisionType.Throttle, decider, explanation);
}

internal enum DecisionType
{
    Yes,
    Throttle,
    No,
}
