using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Cloud.Shared.Containers;

/// <summary>
/// Reads and writes container definitions in Docker's own JSON shape, and computes the definition
/// hash the runner stamps on a container to tell whether it still matches its definition.
/// </summary>
public static class ContainerSpecJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static readonly JsonTypeInfo<ContainerSpec> SpecInfo = (JsonTypeInfo<ContainerSpec>)Options.GetTypeInfo(typeof(ContainerSpec));

    public static byte[] Serialize(ContainerSpec spec) => JsonSerializer.SerializeToUtf8Bytes(spec, SpecInfo);

    public static ContainerSpec Deserialize(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, SpecInfo) ?? throw new JsonException("a container definition must be a JSON object");

    /// <summary>
    /// A stable hash of the definition's content: the same definition always hashes the same,
    /// whatever order its writer put the fields in, and any change of content changes it.
    /// </summary>
    public static string Hash(ContainerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var document = JsonDocument.Parse(Serialize(spec));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(document.RootElement, writer);
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()))[..16];
    }

    private static void WriteCanonical(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(property.Value, writer);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(item, writer);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = null,
            PropertyNameCaseInsensitive = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = ContainerSpecJsonContext.Default,
        };
        options.MakeReadOnly();
        return options;
    }
}
