namespace Cloud.ElasticsearchNode.Cluster.Http;

/// <summary>What a cluster API answers, independent of the HTTP layer that renders it: a status and a JSON body or plain text.</summary>
internal sealed record ApiResult(int Status, object? Body, string? Text = null)
{
    public static ApiResult Json(object body, int status = 200) => new(status, body);

    public static ApiResult Plain(string text) => new(200, null, text);

    public static ApiResult Acknowledged { get; } = new(200, new Dictionary<string, object> { ["acknowledged"] = true });
}
