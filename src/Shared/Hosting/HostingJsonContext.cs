using System.Text.Json.Serialization;

namespace Cloud.Shared.Hosting;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HealthResponse))]
internal sealed partial class HostingJsonContext : JsonSerializerContext;
