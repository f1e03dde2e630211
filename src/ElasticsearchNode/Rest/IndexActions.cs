using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Indices;
using Cloud.ElasticsearchNode.Mapping;

namespace Cloud.ElasticsearchNode.Rest;

/// <summary>Index APIs: create, delete, exists, get, mappings, settings, refresh and flush.</summary>
internal sealed class IndexActions(IIndexMetadataService metadata, ShardBroadcast broadcast)
{
    private const string NumberOfShards = "index.number_of_shards";
    private const string NumberOfReplicas = "index.number_of_replicas";

    public void Register(RestRouter router)
    {
        router.Add("PUT", "/{index}", CreateAsync);
        router.Add("DELETE", "/{index}", DeleteAsync);
        router.Add("HEAD", "/{index}", ExistsAsync);
        router.Add("GET", "/{index}", GetAsync);
        router.Add("GET", "/_mapping", GetMappingAsync);
        router.Add("GET", "/{index}/_mapping", GetMappingAsync);
        router.Add(["PUT", "POST"], "/{index}/_mapping", PutMappingAsync);
        router.Add("GET", "/_settings", GetSettingsAsync);
        router.Add("GET", "/{index}/_settings", GetSettingsAsync);
        router.Add("PUT", "/{index}/_settings", PutSettingsAsync);
        router.Add("PUT", "/_settings", PutSettingsAsync);
        router.Add(["POST", "GET"], "/_refresh", RefreshAsync);
        router.Add(["POST", "GET"], "/{index}/_refresh", RefreshAsync);
        router.Add(["POST", "GET"], "/_flush", FlushAsync);
        router.Add(["POST", "GET"], "/{index}/_flush", FlushAsync);
    }

    private async Task<RestResponse> CreateAsync(RestRequest request)
    {
        var name = request.RequiredPathParameter("index");
        var body = request.JsonBody() ?? [];
        foreach (var key in body.Select(p => p.Key))
        {
            if (key is not ("settings" or "mappings" or "aliases"))
            {
                throw ElasticsearchException.Parsing($"unknown key [{key}] for create index");
            }
        }

        var settings = IndexSettingsParser.Flatten(body["settings"]);
        var shards = IndexSettingsParser.Int(settings, NumberOfShards, 1);
        var replicas = IndexSettingsParser.Int(settings, NumberOfReplicas, 1);
        if (settings.TryGetValue(IndexMetadata.RefreshIntervalSetting, out var interval))
        {
            _ = TimeValue.ParseOrNull(interval);
        }

        var aliases = ImmutableArray.CreateBuilder<AliasMetadata>();
        if (body["aliases"] is JsonObject aliasBody)
        {
            foreach (var (alias, options) in aliasBody)
            {
                aliases.Add(AliasActions.ParseAlias(alias, options as JsonObject));
            }
        }

        var created = await metadata.CreateIndexAsync(new CreateIndexRequest(name, shards, replicas, TypeMapping.Parse(body["mappings"]), aliases.ToImmutable(),
            settings.Remove(NumberOfShards).Remove(NumberOfReplicas)), request.Aborted);
        return RestResponse.Ok(new JsonObject { ["acknowledged"] = true, ["shards_acknowledged"] = true, ["index"] = created.Name });
    }

    private async Task<RestResponse> DeleteAsync(RestRequest request)
    {
        var expression = request.RequiredPathParameter("index");
        if (expression is "_all" or "*" && !request.Flag("allow_no_indices", false) && metadata.Current.Indices.IsEmpty)
        {
            return RestResponse.Ok(new JsonObject { ["acknowledged"] = true });
        }

        var targets = IndexResolver.Resolve(metadata.Current, expression, request.Flag("ignore_unavailable"));
        await metadata.DeleteIndicesAsync([.. targets.Select(i => i.Name)], request.Aborted);
        return RestResponse.Ok(new JsonObject { ["acknowledged"] = true });
    }

    private Task<RestResponse> ExistsAsync(RestRequest request)
    {
        try
        {
            var found = IndexResolver.Resolve(metadata.Current, request.RequiredPathParameter("index"), allowNoIndices: false);
            return Task.FromResult(found.Count > 0 ? RestResponse.Status200 : RestResponse.NotFound);
        }
        catch (ElasticsearchException ex) when (ex.Status == 404)
        {
            return Task.FromResult(RestResponse.NotFound);
        }
    }

    private Task<RestResponse> GetAsync(RestRequest request)
    {
        var result = new JsonObject();
        foreach (var index in IndexResolver.Resolve(metadata.Current, request.RequiredPathParameter("index"), request.Flag("ignore_unavailable")))
        {
            result[index.Name] = new JsonObject
            {
                ["aliases"] = AliasActions.AliasesJson(index),
                ["mappings"] = index.Mappings.ToJson(),
                ["settings"] = SettingsJson(index),
            };
        }

        return Task.FromResult(RestResponse.Ok(result));
    }

    private Task<RestResponse> GetMappingAsync(RestRequest request)
    {
        var result = new JsonObject();
        foreach (var index in IndexResolver.Resolve(metadata.Current, request.PathParameter("index"), request.Flag("ignore_unavailable")))
        {
            result[index.Name] = new JsonObject { ["mappings"] = index.Mappings.ToJson() };
        }

        return Task.FromResult(RestResponse.Ok(result));
    }

    private async Task<RestResponse> PutMappingAsync(RestRequest request)
    {
        var update = TypeMapping.Parse(request.RequiredJsonBody());
        foreach (var index in IndexResolver.Resolve(metadata.Current, request.RequiredPathParameter("index"), allowNoIndices: false))
        {
            await metadata.PutMappingAsync(index.Name, update, request.Aborted);
        }

        return RestResponse.Ok(new JsonObject { ["acknowledged"] = true });
    }

    private Task<RestResponse> GetSettingsAsync(RestRequest request)
    {
        var result = new JsonObject();
        foreach (var index in IndexResolver.Resolve(metadata.Current, request.PathParameter("index"), request.Flag("ignore_unavailable")))
        {
            result[index.Name] = new JsonObject { ["settings"] = SettingsJson(index) };
        }

        return Task.FromResult(RestResponse.Ok(result));
    }

    private async Task<RestResponse> PutSettingsAsync(RestRequest request)
    {
        var body = request.RequiredJsonBody();
        var settings = IndexSettingsParser.Flatten(body["settings"] ?? body);
        var targets = IndexResolver.Resolve(metadata.Current, request.PathParameter("index"), allowNoIndices: false);
        await metadata.UpdateSettingsAsync([.. targets.Select(i => i.Name)], settings, request.Aborted);
        return RestResponse.Ok(new JsonObject { ["acknowledged"] = true });
    }

    private Task<RestResponse> RefreshAsync(RestRequest request) => OnShardsAsync(request, "refresh");

    private Task<RestResponse> FlushAsync(RestRequest request) => OnShardsAsync(request, "flush");

    private async Task<RestResponse> OnShardsAsync(RestRequest request, string operation)
    {
        var targets = IndexResolver.Resolve(metadata.Current, request.PathParameter("index"), request.Flag("ignore_unavailable"));
        var total = targets.Sum(i => i.NumberOfShards * (1 + i.NumberOfReplicas));
        var successful = await broadcast.RunAsync(operation, targets, metadata is ClusterIndexMetadataService, request.Aborted);
        return RestResponse.Ok(new JsonObject { ["_shards"] = new JsonObject { ["total"] = total, ["successful"] = successful, ["failed"] = 0 } });
    }

    /// <summary>Settings nested under <c>index</c> the way <c>GET _settings</c> shows them.</summary>
    public static JsonObject SettingsJson(IndexMetadata index)
    {
        var root = new JsonObject();
        foreach (var (key, value) in index.AllSettings(index.Name))
        {
            var parts = key.Split('.');
            var node = root;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                node = node[parts[i]] as JsonObject ?? (JsonObject)(node[parts[i]] = new JsonObject());
            }

            node[parts[^1]] = value;
        }

        return root;
    }
}
