using System.Globalization;
using System.Text;
using Cloud.ElasticsearchNode.Cluster.State;

namespace Cloud.ElasticsearchNode.Cluster.Http;

/// <summary><c>_cat/nodes</c>, <c>_cat/shards</c>, <c>_cat/master</c>: aligned text, or JSON with <c>format=json</c>; <c>v</c> adds headers.</summary>
internal static class CatTables
{
    public static ApiResult Nodes(ClusterState state, ApiRequest request) => Render(request,
        ["ip", "node.role", "master", "name", "id", "zone"],
        state.Nodes.Values.Select(n => new[]
        {
            Host(n.TransportAddress),
            string.Concat(n.Roles.Select(RoleLetter)),
            n.Id == state.MasterNodeId ? "*" : "-",
            n.Name,
            n.Id,
            n.Attribute("zone") ?? string.Empty,
        }));

    public static ApiResult Shards(ClusterState state, ApiRequest request) => Render(request,
        ["index", "shard", "prirep", "state", "node", "id"],
        state.Routing.Shards.Where(s => !s.IsRelocationTarget).Select(s => new[]
        {
            s.Index,
            s.Shard.ToString(CultureInfo.InvariantCulture),
            s.Primary ? "p" : "r",
            s.State.ToString().ToUpperInvariant(),
            s.NodeId is null ? string.Empty : Name(state, s.NodeId) + (s.RelocatingNodeId is { } to ? " -> " + Name(state, to) : string.Empty),
            s.AllocationId ?? string.Empty,
        }));

    public static ApiResult Master(ClusterState state, ApiRequest request) => Render(request,
        ["id", "host", "ip", "node"],
        state.MasterNode is { } m ? [[m.Id, m.Host, Host(m.TransportAddress), m.Name]] : []);

    private static ApiResult Render(ApiRequest request, string[] headers, IEnumerable<string[]> rows)
    {
        var table = rows.ToList();
        if (request.Query("format") == "json")
        {
            return ApiResult.Json(table.Select(r => headers.Zip(r).ToDictionary(x => x.First, x => x.Second)).ToList());
        }

        var all = request.Has("v") ? table.Prepend(headers).ToList() : table;
        var widths = headers.Select((_, i) => all.Count == 0 ? 0 : all.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
        {
            text.AppendLine(string.Join(' ', row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }

        return ApiResult.Plain(text.ToString());
    }

    private static string Name(ClusterState state, string id) => state.Nodes.TryGetValue(id, out var n) ? n.Name : id;

    private static string Host(string address) => address[..Math.Max(0, address.LastIndexOf(':'))];

    private static string RoleLetter(string role) => role switch
    {
        "master" => "m",
        "data" => "d",
        "ingest" => "i",
        "data_hot" => "h",
        "data_content" => "s",
        "remote_cluster_client" => "r",
        "ml" => "l",
        "transform" => "t",
        _ => string.Empty,
    };
}
