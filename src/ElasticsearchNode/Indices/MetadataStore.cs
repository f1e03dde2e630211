using System.Text.Json.Nodes;

namespace Cloud.ElasticsearchNode.Indices;

/// <summary>
/// Keeps the cluster metadata under <c>path.data/_state</c>: written to a temporary file, fsynced and
/// renamed over the old one, so a crash leaves either the old or the new metadata, never a torn one.
/// </summary>
internal sealed class MetadataStore(string dataPath)
{
    private readonly string _directory = Path.Combine(dataPath, "_state");

    private string FilePath => Path.Combine(_directory, "metadata.json");

    public ClusterMetadata? Load()
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }

        var json = JsonNode.Parse(File.ReadAllBytes(FilePath))!.AsObject();
        var indices = json["indices"]!.AsArray().Select(i => IndexMetadata.FromJson(i!.AsObject()));
        var metadata = ClusterMetadata.Empty(json["cluster_uuid"]!.GetValue<string>());
        return metadata with
        {
            Version = json["version"]!.GetValue<long>(),
            Indices = metadata.Indices.AddRange(indices.Select(i => KeyValuePair.Create(i.Name, i))),
        };
    }

    public void Save(ClusterMetadata metadata)
    {
        Directory.CreateDirectory(_directory);
        var json = new JsonObject
        {
            ["cluster_uuid"] = metadata.ClusterUuid,
            ["version"] = metadata.Version,
            ["indices"] = new JsonArray([.. metadata.Indices.Values.Select(i => (JsonNode)i.ToJson())]),
        };
        var temporary = FilePath + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }
}
