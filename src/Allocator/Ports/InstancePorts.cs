namespace Cloud.Allocator.Ports;

/// <summary>The host ports one instance's HTTP (9200) and transport (9300) ports are published on.</summary>
internal sealed record InstancePorts(int Http, int Transport);
