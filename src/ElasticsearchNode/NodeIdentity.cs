namespace Cloud.ElasticsearchNode;

/// <summary>
/// Ids that survive restarts: Elasticsearch keeps its node id and cluster uuid under <c>path.data</c>,
/// so a recreated container on the same data dir is the same node of the same cluster.
/// </summary>
internal sealed record NodeIdentity(string NodeId, string ClusterUuid)
{
    public static NodeIdentity LoadOrCreate(string dataPath)
    {
        Directory.CreateDirectory(dataPath);
        return new NodeIdentity(ReadOrWrite(Path.Combine(dataPath, "node_id")), ReadOrWrite(Path.Combine(dataPath, "cluster_uuid")));
    }

    private static string ReadOrWrite(string file)
    {
        if (File.Exists(file))
        {
            return File.ReadAllText(file).Trim();
        }

        var id = Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('/', '_').Replace('+', '-');
        File.WriteAllText(file, id);
        return id;
    }
}
