using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Documents;
using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Indices;
using Cloud.ElasticsearchNode.Search;

namespace Cloud.ElasticsearchNode.Rest;

/// <summary>The single-document APIs: index, create, get (and HEAD), <c>_source</c>, delete, update, <c>_mget</c>.</summary>
internal sealed class DocumentActions(IDocumentCoordinator documents, IIndexMetadataService metadata)
{
    public void Register(RestRouter router)
    {
        router.Add(["PUT", "POST"], "/{index}/_doc/{id}", IndexAsync);
        router.Add("POST", "/{index}/_doc", IndexAsync);
        router.Add(["PUT", "POST"], "/{index}/_create/{id}", CreateAsync);
        router.Add("GET", "/{index}/_doc/{id}", GetAsync);
        router.Add("HEAD", "/{index}/_doc/{id}", GetAsync);
        router.Add("GET", "/{index}/_source/{id}", SourceAsync);
        router.Add("HEAD", "/{index}/_source/{id}", SourceAsync);
        router.Add("DELETE", "/{index}/_doc/{id}", DeleteAsync);
        router.Add("POST", "/{index}/_update/{id}", UpdateAsync);
        router.Add(["GET", "POST"], "/_mget", MultiGetAsync);
        router.Add(["GET", "POST"], "/{index}/_mget", MultiGetAsync);
    }

    private Task<RestResponse> IndexAsync(RestRequest request)
    {
        var opType = request.Parameter("op_type") switch
        {
            null or "index" => request.PathParameter("id") is null ? OpType.Create : OpType.Index,
            "create" => OpType.Create,
            var other => throw ElasticsearchException.IllegalArgument($"opType must be 'create' or 'index', found: [{other}]"),
        };
        return WriteOneAsync(request, opType);
    }

    private Task<RestResponse> CreateAsync(RestRequest request) => WriteOneAsync(request, OpType.Create);

    private async Task<RestResponse> WriteOneAsync(RestRequest request, OpType opType)
    {
        if (!request.HasBody)
        {
            throw ElasticsearchException.ActionRequestValidation("source is missing");
        }

        var write = new WriteRequest(opType, request.RequiredPathParameter("index"), request.PathParameter("id"), request.Parameter("routing"),
            request.Body.ToArray(), WriteResponses.Constraints(request));
        var results = await documents.WriteAsync([write], WriteResponses.Refresh(request), request.Aborted);
        return WriteResponses.Single(results[0], metadata);
    }

    private async Task<RestResponse> GetAsync(RestRequest request)
    {
        var index = request.RequiredPathParameter("index");
        var id = request.RequiredPathParameter("id");
        var document = await documents.GetAsync(index, id, request.Parameter("routing"), request.Flag("realtime", true), request.Aborted);
        var concrete = IndexResolver.ResolveWriteIndex(metadata.Current, index)?.Name ?? index;
        if (document is null)
        {
            return new RestResponse(404, new JsonObject { ["_index"] = concrete, ["_id"] = id, ["found"] = false });
        }

        var filter = SourceFilter.FromParameters(request.Parameter("_source"), request.Parameter("_source_includes"), request.Parameter("_source_excludes"));
        return RestResponse.Ok(Document(concrete, document, filter));
    }

    private async Task<RestResponse> SourceAsync(RestRequest request)
    {
        var index = request.RequiredPathParameter("index");
        var id = request.RequiredPathParameter("id");
        var document = await documents.GetAsync(index, id, request.Parameter("routing"), request.Flag("realtime", true), request.Aborted)
            ?? throw new ElasticsearchException("resource_not_found_exception", $"Document not found [{index}]/[{id}]", 404);
        var filter = SourceFilter.FromParameters(request.Parameter("_source"), request.Parameter("_source_includes"), request.Parameter("_source_excludes"));
        return RestResponse.Ok(filter.Apply(JsonNode.Parse(document.Source.Span)) ?? new JsonObject());
    }

    private async Task<RestResponse> DeleteAsync(RestRequest request)
    {
        var write = new WriteRequest(OpType.Delete, request.RequiredPathParameter("index"), request.RequiredPathParameter("id"), request.Parameter("routing"),
            ReadOnlyMemory<byte>.Empty, WriteResponses.Constraints(request));
        if (IndexResolver.ResolveWriteIndex(metadata.Current, write.Index) is null)
        {
            throw ElasticsearchException.IndexNotFound(write.Index);
        }

        var results = await documents.WriteAsync([write], WriteResponses.Refresh(request), request.Aborted);
        return WriteResponses.Single(results[0], metadata);
    }

    private async Task<RestResponse> UpdateAsync(RestRequest request)
    {
        var body = request.RequiredJsonBody();
        var write = new WriteRequest(OpType.Update, request.RequiredPathParameter("index"), request.RequiredPathParameter("id"), request.Parameter("routing"),
            ReadOnlyMemory<byte>.Empty, WriteResponses.Constraints(request), ParseUpdate(body, request.IntParameter("retry_on_conflict") ?? 0));
        var results = await documents.WriteAsync([write], WriteResponses.Refresh(request), request.Aborted);
        var response = WriteResponses.Single(results[0], metadata);
        if (body["_source"] is { } sourceOption && results[0].UpdatedSource is { } updated && response.Json is JsonObject json)
        {
            var filtered = SourceFilter.Parse(sourceOption.DeepClone()).Apply(JsonNode.Parse(updated.Span));
            json["get"] = new JsonObject { ["found"] = true, ["_source"] = filtered };
        }

        return response;
    }

    public static UpdateSpec ParseUpdate(JsonObject body, int retryOnConflict)
    {
        if (body["script"] is not null)
        {
            throw ElasticsearchException.IllegalArgument("scripted updates are not supported by this node; send a partial [doc]");
        }

        var doc = body["doc"] as JsonObject;
        var upsert = body["upsert"] as JsonObject;
        if (doc is null && upsert is null)
        {
            throw ElasticsearchException.ActionRequestValidation("script or doc is missing");
        }

        return new UpdateSpec((JsonObject?)doc?.DeepClone(), (JsonObject?)upsert?.DeepClone(), body["doc_as_upsert"]?.GetValue<bool>() ?? false,
            body["detect_noop"]?.GetValue<bool>() ?? true, retryOnConflict);
    }

    private async Task<RestResponse> MultiGetAsync(RestRequest request)
    {
        var body = request.RequiredJsonBody();
        var defaultIndex = request.PathParameter("index");
        var items = new List<(string? Index, string Id, string? Routing, JsonNode? Source)>();
        if (body["docs"] is JsonArray docs)
        {
            foreach (var doc in docs.OfType<JsonObject>())
            {
                items.Add((doc["_index"]?.ToString() ?? defaultIndex, doc["_id"]?.ToString() ?? throw ElasticsearchException.ActionRequestValidation("id is missing"),
                    doc["routing"]?.ToString(), doc["_source"]));
            }
        }
        else if (body["ids"] is JsonArray ids)
        {
            items.AddRange(ids.Select(id => (defaultIndex, id!.ToString(), (string?)null, (JsonNode?)null)));
        }
        else
        {
            throw ElasticsearchException.ActionRequestValidation("no documents to get");
        }

        var defaultFilter = SourceFilter.FromParameters(request.Parameter("_source"), request.Parameter("_source_includes"), request.Parameter("_source_excludes"));
        var results = new JsonArray();
        foreach (var (index, id, routing, source) in items)
        {
            if (index is null)
            {
                throw ElasticsearchException.ActionRequestValidation("index is missing");
            }

            try
            {
                var document = await documents.GetAsync(index, id, routing, request.Flag("realtime", true), request.Aborted);
                var concrete = IndexResolver.ResolveWriteIndex(metadata.Current, index)?.Name ?? index;
                results.Add(document is null
                    ? new JsonObject { ["_index"] = concrete, ["_id"] = id, ["found"] = false }
                    : Document(concrete, document, source is null ? defaultFilter : SourceFilter.Parse(source.DeepClone())));
            }
            catch (ElasticsearchException ex)
            {
                results.Add(new JsonObject { ["_index"] = index, ["_id"] = id, ["error"] = ErrorRenderer.Cause(ex) });
            }
        }

        return RestResponse.Ok(new JsonObject { ["docs"] = results });
    }

    private static JsonObject Document(string index, StoredDocument document, SourceFilter filter)
    {
        var json = new JsonObject
        {
            ["_index"] = index,
            ["_id"] = document.Id,
            ["_version"] = document.Version,
            ["_seq_no"] = document.SeqNo,
            ["_primary_term"] = document.PrimaryTerm,
            ["found"] = true,
        };
        if (document.Routing is { } routing)
        {
            json["_routing"] = routing;
        }

        if (filter.Enabled)
        {
            json["_source"] = filter.Apply(JsonNode.Parse(document.Source.Span));
        }

        return json;
    }
}
