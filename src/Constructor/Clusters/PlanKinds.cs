namespace Cloud.Constructor.Clusters;

/// <summary>What a recorded plan does to the cluster.</summary>
public static class PlanKinds
{
    /// <summary>Make the cluster match the plan (create, resize, version change, move).</summary>
    public const string Change = "change";

    /// <summary>Stop every instance (<c>_shutdown</c>), keeping assignments and data.</summary>
    public const string Shutdown = "shutdown";
}
