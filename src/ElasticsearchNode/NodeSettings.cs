using System.Collections;
using System.Collections.Immutable;
using System.Globalization;

namespace Cloud.ElasticsearchNode;

/// <summary>
/// The node's settings, read the way the official Elasticsearch image reads them: environment
/// variables named after the setting (<c>node.name</c>, <c>cluster.name</c>, <c>http.port</c>...).
/// <see cref="All"/> keeps every dotted setting given, for the parts that read more of them (discovery).
/// </summary>
internal sealed record NodeSettings
{
    public required string NodeName { get; init; }

    public string ClusterName { get; init; } = "docker-cluster";

    public int HttpPort { get; init; } = 9200;

    /// <summary>Address the HTTP server binds (<c>network.host</c>, or <c>http.host</c>).</summary>
    public string NetworkHost { get; init; } = "0.0.0.0";

    public required string DataPath { get; init; }

    public string Version { get; init; } = "8.15.0";

    public IReadOnlyList<string> Roles { get; init; } = ["master", "data", "ingest"];

    public string? Zone { get; init; }

    /// <summary><c>http.max_content_length</c>: larger request bodies get 413 (100 MB, as in Elasticsearch).</summary>
    public long MaxContentLengthBytes { get; init; } = 100L * 1024 * 1024;

    /// <summary>The heap given by <c>ES_JAVA_OPTS</c> <c>-Xmx</c>, in bytes; null when none.</summary>
    public long? HeapBytes { get; init; }

    /// <summary>Lucene's indexing buffer per shard, in MB (Elasticsearch gives all shards 10% of the heap).</summary>
    public double IndexBufferMb { get; init; } = 32;

    public ImmutableSortedDictionary<string, string> All { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    public static NodeSettings FromEnvironment() => FromVariables(Environment.GetEnvironmentVariables());

    public static NodeSettings FromVariables(IDictionary variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var all = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in variables)
        {
            if (entry.Key is string key && entry.Value is string { Length: > 0 } value && (key.Contains('.', StringComparison.Ordinal) || key is "ELASTIC_VERSION" or "ES_JAVA_OPTS"))
            {
                all[key] = value;
            }
        }

        string? Get(string name) => all.TryGetValue(name, out var value) ? value : null;
        var heap = HeapOptions.ParseMaxHeap(Get("ES_JAVA_OPTS"));
        return new NodeSettings
        {
            NodeName = Get("node.name") ?? Environment.MachineName,
            ClusterName = Get("cluster.name") ?? "docker-cluster",
            HttpPort = int.TryParse(Get("http.port"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : 9200,
            NetworkHost = Get("http.host") ?? Get("network.host") ?? "0.0.0.0",
            DataPath = Get("path.data") ?? "/usr/share/elasticsearch/data",
            Version = Get("ELASTIC_VERSION") ?? "8.15.0",
            Roles = (Get("node.roles") ?? "master,data,ingest").Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Zone = Get("node.attr.zone"),
            MaxContentLengthBytes = Get("http.max_content_length") is { } max ? ByteSize.Parse(max) : 100L * 1024 * 1024,
            HeapBytes = heap,
            IndexBufferMb = heap is { } bytes ? Math.Clamp(bytes / 10.0 / 1024 / 1024, 16, 256) : 32,
            All = all.ToImmutable(),
        };
    }
}
