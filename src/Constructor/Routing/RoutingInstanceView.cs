namespace Cloud.Constructor.Routing;

/// <summary>One instance in the effective routing.</summary>
public sealed record RoutingInstanceView(string InstanceName, string AllocatorId, string Zone, string ContainerState, bool Reachable, bool AllocatorConnected, bool MaintenanceMode, bool Routable);
