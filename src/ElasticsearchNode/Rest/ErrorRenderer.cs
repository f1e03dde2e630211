using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Errors;

namespace Cloud.ElasticsearchNode.Rest;

/// <summary>Elasticsearch's error body: <c>{"error":{"root_cause":[...],"type","reason",...},"status"}</c>.</summary>
internal static class ErrorRenderer
{
    public static JsonObject Cause(ElasticsearchException error)
    {
        var cause = new JsonObject { ["type"] = error.Type, ["reason"] = error.Message };
        if (error.Index is { } index)
        {
            cause["index_uuid"] = error.IndexUuid ?? "_na_";
            if (error.Shard is { } shard)
            {
                cause["shard"] = shard.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            cause["index"] = index;
        }

        if (error.ResourceType is { } resourceType)
        {
            cause["resource.type"] = resourceType;
            cause["resource.id"] = error.ResourceId;
        }

        return cause;
    }

    public static JsonObject Render(ElasticsearchException error)
    {
        var body = Cause(error);
        var full = new JsonObject { ["root_cause"] = new JsonArray(Cause(error)) };
        foreach (var (key, value) in body)
        {
            full[key] = value?.DeepClone();
        }

        if (error.InnerException is ElasticsearchException inner)
        {
            full["caused_by"] = Cause(inner);
        }

        return new JsonObject { ["error"] = full, ["status"] = error.Status };
    }
}
