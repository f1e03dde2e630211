namespace Cloud.Constructor.Elasticsearch;

/// <summary>A row of <c>GET _cat/nodes?format=json&amp;h=id,name,node.role,master</c>.</summary>
public sealed record CatNode
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? NodeRole { get; init; }

    public string? Master { get; init; }
}
