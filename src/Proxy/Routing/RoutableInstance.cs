namespace Cloud.Proxy.Routing;

/// <summary>An instance that may take traffic, and where it listens.</summary>
internal sealed record RoutableInstance(string InstanceName, string Zone, string Host, int Port);
