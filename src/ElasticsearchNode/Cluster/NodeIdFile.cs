namespace Cloud.ElasticsearchNode.Cluster;

/// <summary>The node id, kept in <c>path.data/node_id</c> so a restarted or recreated node on the same data is the same node.</summary>
internal static class NodeIdFile
{
    public static string LoadOrCreate(string dataPath)
    {
        Directory.CreateDirectory(dataPath);
        var file = Path.Combine(dataPath, "node_id");
        if (File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } existing)
        {
            return existing;
        }

        var id = Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('/', '_').Replace('+', '-');
        File.WriteAllText(file, id);
        return id;
    }
}
