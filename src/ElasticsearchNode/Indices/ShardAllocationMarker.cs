namespace Cloud.ElasticsearchNode.Indices;

/// <summary>
/// Which copy (allocation id) a shard directory holds, in <c>&lt;shard&gt;/allocation_id</c>, as Elasticsearch keeps the
/// allocation id in the shard's state file. A copy the cluster state says is started here is reopened only from a
/// directory that names it: an empty directory, or one left by another copy, would serve reads without the data the
/// state says it has.
/// </summary>
internal static class ShardAllocationMarker
{
    private const string FileName = "allocation_id";

    public static string? Read(string shardPath)
    {
        var path = Path.Combine(shardPath, FileName);
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Records <paramref name="allocationId"/> durably (written beside, then renamed over the old marker).</summary>
    public static void Write(string shardPath, string allocationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(allocationId);
        var path = Path.Combine(shardPath, FileName);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(System.Text.Encoding.UTF8.GetBytes(allocationId));
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// True when the directory holds <paramref name="allocationId"/>'s data: its marker names it, or it has no marker
    /// but a Lucene commit (written before markers existed).
    /// </summary>
    public static bool Holds(string shardPath, string allocationId)
    {
        var marker = Read(shardPath);
        if (marker is not null)
        {
            return string.Equals(marker, allocationId, StringComparison.Ordinal);
        }

        var lucene = Path.Combine(shardPath, "index");
        return Directory.Exists(lucene) && Directory.EnumerateFiles(lucene, "segments_*").Any();
    }
}
