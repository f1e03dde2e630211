using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Indices;
using Cloud.ElasticsearchNode.Search;

namespace Cloud.ElasticsearchNode.Rest;

/// <summary><c>_search</c>, <c>_count</c> and the scroll APIs, rendered as Elasticsearch renders them.</summary>
internal sealed class SearchActions(ISearchCoordinator search)
{
    public void Register(RestRouter router)
    {
        router.Add(["GET", "POST"], "/_search", SearchAsync);
        router.Add(["GET", "POST"], "/{index}/_search", SearchAsync);
        router.Add(["GET", "POST"], "/_count", CountAsync);
        router.Add(["GET", "POST"], "/{index}/_count", CountAsync);
        router.Add(["GET", "POST"], "/_search/scroll", ScrollAsync);
        router.Add(["GET", "POST"], "/_search/scroll/{scroll_id}", ScrollAsync);
        router.Add("DELETE", "/_search/scroll", ClearScrollAsync);
        router.Add("DELETE", "/_search/scroll/{scroll_id}", ClearScrollAsync);
        router.Add("POST", "/{index}/_pit", OpenPointInTimeAsync);
        router.Add("DELETE", "/_pit", ClosePointInTimeAsync);
    }

    private async Task<RestResponse> OpenPointInTimeAsync(RestRequest request)
    {
        var keepAlive = request.Parameter("keep_alive") ?? throw ElasticsearchException.ActionRequestValidation("[keep_alive] is missing");
        var (id, shards) = await search.OpenPointInTimeAsync(request.PathParameter("index")!, TimeValue.Parse(keepAlive), request.Aborted);
        return RestResponse.Ok(new JsonObject
        {
            ["id"] = id,
            ["_shards"] = new JsonObject { ["total"] = shards, ["successful"] = shards, ["skipped"] = 0, ["failed"] = 0 },
        });
    }

    private async Task<RestResponse> ClosePointInTimeAsync(RestRequest request)
    {
        var id = request.JsonBody()?["id"]?.ToString() ?? throw ElasticsearchException.ActionRequestValidation("[id] is missing");
        var freed = await search.ClosePointInTimeAsync([id], request.Aborted);
        return new RestResponse(freed > 0 ? 200 : 404, new JsonObject { ["succeeded"] = true, ["num_freed"] = freed });
    }

    private async Task<RestResponse> SearchAsync(RestRequest request)
    {
        var parsed = SearchRequestParser.Parse(request.JsonBody(), request.Parameter);
        TimeSpan? scroll = request.Parameter("scroll") is { } keepAlive ? TimeValue.Parse(keepAlive) : null;
        var response = await search.SearchAsync(request.PathParameter("index"), parsed, scroll, request.Flag("ignore_unavailable"), request.Aborted);
        return RestResponse.Ok(Render(response, parsed, request.Flag("rest_total_hits_as_int")));
    }

    private async Task<RestResponse> CountAsync(RestRequest request)
    {
        var body = request.JsonBody();
        var query = body?["query"] as JsonObject;
        var parsed = SearchRequestParser.Parse(query is null ? null : new JsonObject { ["query"] = query.DeepClone() }, request.Parameter)
            with { Size = 0, TrackTotalHits = int.MaxValue };
        var response = await search.SearchAsync(request.PathParameter("index"), parsed, null, request.Flag("ignore_unavailable"), request.Aborted);
        return RestResponse.Ok(new JsonObject { ["count"] = response.TotalHits, ["_shards"] = Shards(response) });
    }

    private async Task<RestResponse> ScrollAsync(RestRequest request)
    {
        var body = request.JsonBody();
        var scrollId = body?["scroll_id"]?.ToString() ?? request.PathParameter("scroll_id") ?? request.Parameter("scroll_id")
            ?? throw ElasticsearchException.ActionRequestValidation("scrollId is missing");
        var keepAlive = body?["scroll"]?.ToString() ?? request.Parameter("scroll");
        var response = await search.ScrollAsync(scrollId, keepAlive is null ? null : TimeValue.Parse(keepAlive), request.Aborted);
        var paged = (response.Request ?? new SearchRequest()) with { TrackTotalHits = int.MaxValue, Aggregations = [] };
        return RestResponse.Ok(Render(response, paged, request.Flag("rest_total_hits_as_int")));
    }

    private async Task<RestResponse> ClearScrollAsync(RestRequest request)
    {
        var body = request.JsonBody();
        var ids = body?["scroll_id"] switch
        {
            JsonArray array => array.Select(n => n!.ToString()).ToList(),
            JsonNode node => [node.ToString()],
            null => request.PathParameter("scroll_id")?.Split(',').ToList() ?? [],
        };
        var freed = await search.ClearScrollAsync(ids, request.Aborted);
        return new RestResponse(freed > 0 || ids.Count == 0 ? 200 : 404, new JsonObject { ["succeeded"] = true, ["num_freed"] = freed });
    }

    public static JsonObject Render(SearchResponse response, SearchRequest request, bool totalAsInt)
    {
        var scored = request.SortsByScore;
        var hits = new JsonArray();
        foreach (var hit in response.Hits)
        {
            var json = new JsonObject
            {
                ["_index"] = hit.Index,
                ["_id"] = hit.Document.Id,
                ["_score"] = scored && !float.IsNaN(hit.Score) ? hit.Score : null,
            };
            if (hit.Document.Routing is { } routing)
            {
                json["_routing"] = routing;
            }

            if (request.Version)
            {
                json["_version"] = hit.Document.Version;
            }

            if (request.SeqNoPrimaryTerm)
            {
                json["_seq_no"] = hit.Document.SeqNo;
                json["_primary_term"] = hit.Document.PrimaryTerm;
            }

            if (request.Source.Enabled)
            {
                json["_source"] = request.Source.Apply(JsonNode.Parse(hit.Document.Source.Span));
            }

            if (!request.Sort.IsDefaultOrEmpty)
            {
                json["sort"] = new JsonArray([.. request.Sort.Select((s, i) => s.Field == SortSpec.Score ? JsonValue.Create(hit.Score) : JsonValue.Create(hit.SortValues.ElementAtOrDefault(i)))]);
            }

            hits.Add(json);
        }

        var hitsJson = new JsonObject();
        if (request.TrackTotalHits is { } limit)
        {
            hitsJson["total"] = totalAsInt
                ? response.TotalHits
                : new JsonObject
                {
                    ["value"] = Math.Min(response.TotalHits, limit),
                    ["relation"] = response.TotalHits > limit ? "gte" : "eq",
                };
        }

        hitsJson["max_score"] = scored && !float.IsNaN(response.MaxScore) && response.Hits.Count > 0 ? response.MaxScore : null;
        hitsJson["hits"] = hits;
        var result = new JsonObject();
        if (response.PitId is { } pitId)
        {
            result["pit_id"] = pitId;
        }

        result["took"] = response.TookMs;
        result["timed_out"] = false;
        if (response.ScrollId is { } scrollId)
        {
            result["_scroll_id"] = scrollId;
        }

        result["_shards"] = Shards(response);
        result["hits"] = hitsJson;
        if (!request.Aggregations.IsDefaultOrEmpty)
        {
            var aggregations = new JsonObject();
            for (var i = 0; i < request.Aggregations.Length; i++)
            {
                var partial = response.Aggregations.ElementAtOrDefault(i) ?? new AggregationPartial(request.Aggregations[i], null);
                aggregations[request.Aggregations[i].Name] = partial.ToJson();
            }

            result["aggregations"] = aggregations;
        }

        return result;
    }

    private static JsonObject Shards(SearchResponse response)
    {
        var shards = new JsonObject
        {
            ["total"] = response.TotalShards,
            ["successful"] = response.SuccessfulShards,
            ["skipped"] = 0,
            ["failed"] = response.Failures.Count,
        };
        if (response.Failures.Count > 0)
        {
            shards["failures"] = new JsonArray([.. response.Failures.Select(f => (JsonNode)new JsonObject
            {
                ["shard"] = f.Shard,
                ["index"] = f.Index,
                ["reason"] = new JsonObject { ["type"] = f.Type, ["reason"] = f.Reason },
            })]);
        }

        return shards;
    }
}
