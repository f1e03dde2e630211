using System.Text.Json.Serialization;
using Cloud.Shared.Allocators;
using Cloud.Shared.Containers;

namespace Cloud.Shared.Serialization;

/// <summary>
/// The ZooKeeper records the host agents (runner, allocator) read and write, described at compile time.
/// Naming and null handling come from <see cref="CloudJson.Options"/>, which uses it as its first resolver.
/// </summary>
[JsonSerializable(typeof(ContainerObservation))]
[JsonSerializable(typeof(RunnerRegistration))]
[JsonSerializable(typeof(AllocatorRegistration))]
[JsonSerializable(typeof(AllocatorMeta))]
[JsonSerializable(typeof(InstanceAssignment))]
[JsonSerializable(typeof(InstanceStatus))]
[JsonSerializable(typeof(DataPurgeRequest))]
internal sealed partial class CloudJsonContext : JsonSerializerContext;
