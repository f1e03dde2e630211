using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Cloud.Shared.Serialization;

namespace Cloud.Allocator.Ports;

/// <summary>The port reservation node's value described at compile time, with <see cref="CloudJson"/>'s naming.</summary>
[JsonSerializable(typeof(ImmutableSortedDictionary<string, InstancePorts>))]
[JsonSerializable(typeof(Dictionary<string, InstancePorts>))]
internal sealed partial class PortsJsonContext : JsonSerializerContext
{
    public static PortsJsonContext CloudNamed { get; } = CloudJson.ForContext(options => new PortsJsonContext(options));
}
