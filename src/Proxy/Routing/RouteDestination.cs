using Cloud.Proxy.Health;

namespace Cloud.Proxy.Routing;

/// <summary>One instance of a route: its name and zone, and the shared state of its address.</summary>
internal sealed record RouteDestination(string InstanceName, string Zone, DestinationState State);
