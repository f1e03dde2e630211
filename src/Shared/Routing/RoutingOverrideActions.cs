namespace Cloud.Shared.Routing;

/// <summary>The override actions of DESIGN.md's proxy contract.</summary>
public static class RoutingOverrideActions
{
    /// <summary>The listed instances get no traffic.</summary>
    public const string Exclude = "exclude";

    /// <summary>Only the listed instances get traffic.</summary>
    public const string Pin = "pin";

    /// <summary>The cluster gets no traffic; clients are told the reason.</summary>
    public const string Block = "block";

    /// <summary>The cluster's traffic goes to <c>target_cluster_id</c>'s instances.</summary>
    public const string Redirect = "redirect";

    public static IReadOnlyList<string> All { get; } = [Exclude, Pin, Block, Redirect];
}
