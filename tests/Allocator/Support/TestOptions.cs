using Cloud.Allocator.Configuration;
using Cloud.Allocator.Ports;

namespace Cloud.Allocator.Tests.Support;

internal static class TestOptions
{
    public static ResolvedAllocatorOptions Create(long capacityMb = 8192) => new()
    {
        AllocatorId = "alloc-1",
        HostId = "host-1",
        Zone = "zone-1",
        HostAddress = "10.0.0.5",
        PortBindIp = "0.0.0.0",
        ProbeAddress = "10.0.0.5",
        MemoryCapacityMb = capacityMb,
        DataRoot = "/var/lib/cloud",
        PortRange = new PortRange(20000, 20099),
        ImageTemplate = "docker.elastic.co/elasticsearch/elasticsearch:{version}",
        StopTimeoutSeconds = 60,
    };
}
