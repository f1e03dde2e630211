using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cloud.ElasticsearchNode.Cluster;

/// <summary>The one JSON shape of everything nodes send each other and persist: snake_case, enums by name.</summary>
internal static class ClusterJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
