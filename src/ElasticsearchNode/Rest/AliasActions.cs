using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Indices;

namespace Cloud.ElasticsearchNode.Rest;

/// <summary>Alias APIs: <c>_aliases</c> actions, add/remove one alias, list and check aliases.</summary>
internal sealed class AliasActions(IIndexMetadataService metadata)
{
    public void Register(RestRouter router)
    {
        router.Add("POST", "/_aliases", UpdateAsync);
        router.Add(["PUT", "POST"], "/{index}/_alias/{name}", PutAsync);
        router.Add(["PUT", "POST"], "/{index}/_aliases/{name}", PutAsync);
        router.Add("DELETE", "/{index}/_alias/{name}", DeleteAsync);
        router.Add("DELETE", "/{index}/_aliases/{name}", DeleteAsync);
        router.Add("GET", "/_alias", GetAsync);
        router.Add("GET", "/_aliases", GetAsync);
        router.Add("GET", "/_alias/{name}", GetAsync);
        router.Add("GET", "/{index}/_alias", GetAsync);
        router.Add("GET", "/{index}/_alias/{name}", GetAsync);
        router.Add("HEAD", "/_alias/{name}", ExistsAsync);
        router.Add("HEAD", "/{index}/_alias/{name}", ExistsAsync);
    }

    public static AliasMetadata ParseAlias(string name, JsonObject? options) => new(
        name,
        options?["filter"]?.ToJsonString(),
        options?["is_write_index"]?.GetValue<bool>(),
        options?["routing"]?.ToString());

    public static JsonObject AliasesJson(IndexMetadata index)
    {
        var json = new JsonObject();
        foreach (var alias in index.Aliases.Values)
        {
            var options = new JsonObject();
            if (alias.FilterJson is { } filter)
            {
                options["filter"] = JsonNode.Parse(filter);
            }

            if (alias.IsWriteIndex is { } write)
            {
                options["is_write_index"] = write;
            }

            json[alias.Name] = options;
        }

        return json;
    }

    private async Task<RestResponse> UpdateAsync(RestRequest request)
    {
        var actions = new List<AliasAction>();
        foreach (var item in request.RequiredJsonBody()["actions"] as JsonArray ?? throw ElasticsearchException.ActionRequestValidation("no actions specified"))
        {
            if (item is not JsonObject { Count: 1 } action)
            {
                throw ElasticsearchException.Parsing("[aliases] actions must hold exactly one action each");
            }

            var (kind, body) = action.First();
            var options = body as JsonObject ?? throw ElasticsearchException.Parsing($"[{kind}] must be an object");
            var indices = options["indices"] is JsonArray list ? list.Select(n => n!.ToString()).ToList() : [options["index"]?.ToString() ?? throw ElasticsearchException.ActionRequestValidation("One of [index] or [indices] is required")];
            var aliases = options["aliases"] is JsonArray names ? names.Select(n => n!.ToString()).ToList() : [options["alias"]?.ToString() ?? throw ElasticsearchException.ActionRequestValidation("One of [alias] or [aliases] is required")];
            foreach (var index in indices.SelectMany(i => IndexResolver.Resolve(metadata.Current, i, allowNoIndices: false)))
            {
                foreach (var alias in aliases)
                {
                    actions.Add(kind switch
                    {
                        "add" => new AliasAction(true, index.Name, ParseAlias(alias, options)),
                        "remove" => new AliasAction(false, index.Name, new AliasMetadata(alias)),
                        _ => throw ElasticsearchException.IllegalArgument($"unsupported alias action [{kind}]"),
                    });
                }
            }
        }

        await metadata.UpdateAliasesAsync(actions, request.Aborted);
        return RestResponse.Ok(new JsonObject { ["acknowledged"] = true, ["errors"] = false });
    }

    private async Task<RestResponse> PutAsync(RestRequest request)
    {
        var name = request.RequiredPathParameter("name");
        var options = request.JsonBody();
        var actions = IndexResolver.Resolve(metadata.Current, request.RequiredPathParameter("index"), allowNoIndices: false)
            .Select(i => new AliasAction(true, i.Name, ParseAlias(name, options))).ToList();
        await metadata.UpdateAliasesAsync(actions, request.Aborted);
        return RestResponse.Ok(new JsonObject { ["acknowledged"] = true });
    }

    private async Task<RestResponse> DeleteAsync(RestRequest request)
    {
        var name = request.RequiredPathParameter("name");
        var actions = IndexResolver.Resolve(metadata.Current, request.RequiredPathParameter("index"), allowNoIndices: false)
            .Select(i => new AliasAction(false, i.Name, new AliasMetadata(name))).ToList();
        await metadata.UpdateAliasesAsync(actions, request.Aborted);
        return RestResponse.Ok(new JsonObject { ["acknowledged"] = true });
    }

    private Task<RestResponse> GetAsync(RestRequest request)
    {
        var name = request.PathParameter("name");
        var result = new JsonObject();
        foreach (var index in IndexResolver.Resolve(metadata.Current, request.PathParameter("index")))
        {
            var aliases = AliasesJson(index);
            if (name is not null)
            {
                foreach (var key in aliases.Select(a => a.Key).Where(k => !IndexResolver.Matches(name, k)).ToList())
                {
                    aliases.Remove(key);
                }

                if (aliases.Count == 0)
                {
                    continue;
                }
            }

            result[index.Name] = new JsonObject { ["aliases"] = aliases };
        }

        if (name is not null && result.Count == 0)
        {
            return Task.FromResult(new RestResponse(404, new JsonObject { ["error"] = $"alias [{name}] missing", ["status"] = 404 }));
        }

        return Task.FromResult(RestResponse.Ok(result));
    }

    private Task<RestResponse> ExistsAsync(RestRequest request)
    {
        var name = request.RequiredPathParameter("name");
        var indices = IndexResolver.Resolve(metadata.Current, request.PathParameter("index"), ignoreUnavailable: true);
        return Task.FromResult(indices.Any(i => i.Aliases.Keys.Any(a => IndexResolver.Matches(name, a))) ? RestResponse.Status200 : RestResponse.NotFound);
    }
}
