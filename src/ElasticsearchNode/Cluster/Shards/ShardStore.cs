namespace Cloud.ElasticsearchNode.Cluster.Shards;

/// <summary>Where a shard's files live on this node: <c>path.data/indices/&lt;index_uuid&gt;/&lt;shard&gt;</c>, one store per shard.</summary>
internal sealed class ShardStore(string dataPath)
{
    public string DirectoryOf(string indexUuid, int shard) =>
        Path.Combine(dataPath, "indices", indexUuid, shard.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public IReadOnlyList<ShardFile> Files(string indexUuid, int shard)
    {
        var directory = DirectoryOf(indexUuid, shard);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return
        [
            .. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .Where(f => !f.EndsWith(".recovering", StringComparison.Ordinal))
                .Select(f => new ShardFile(Path.GetRelativePath(directory, f), new FileInfo(f).Length))
                .OrderBy(f => f.Name, StringComparer.Ordinal),
        ];
    }

    /// <summary>Resolves a file name a peer asked for, refusing anything outside the shard's directory.</summary>
    public string PathOf(string indexUuid, int shard, string name)
    {
        var directory = Path.GetFullPath(DirectoryOf(indexUuid, shard));
        var full = Path.GetFullPath(Path.Combine(directory, name));
        return full.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new ClusterException("illegal_argument_exception", $"[{name}] is not a file of shard [{indexUuid}][{shard}]");
    }
}
