using System.Text.Json.Serialization;

namespace Cloud.Shared.Containers;

/// <summary>Container definitions described at compile time; options come from <see cref="ContainerSpecJson.Options"/>.</summary>
[JsonSerializable(typeof(ContainerSpec))]
internal sealed partial class ContainerSpecJsonContext : JsonSerializerContext;
