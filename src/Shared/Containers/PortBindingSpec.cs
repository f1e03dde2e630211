namespace Cloud.Shared.Containers;

/// <summary>One host port a container port is published on.</summary>
public sealed record PortBindingSpec(string? HostIp, string HostPort);
