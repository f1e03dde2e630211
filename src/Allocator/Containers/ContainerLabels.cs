namespace Cloud.Allocator.Containers;

/// <summary>Labels the allocator puts on its containers, so definitions and containers can be traced back to assignments.</summary>
internal static class ContainerLabels
{
    public const string Allocator = "cloud.allocator";
    public const string ClusterId = "cloud.cluster-id";
    public const string Instance = "cloud.instance";
    public const string InstanceId = "cloud.instance-id";

    /// <summary>The assignment's generation: bumping it changes the definition, so the runner recreates the container.</summary>
    public const string Generation = "cloud.generation";
}
