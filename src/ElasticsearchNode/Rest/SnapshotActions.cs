using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Snapshots;

namespace Cloud.ElasticsearchNode.Rest;

/// <summary>Snapshot APIs: repositories (<c>fs</c>), create, get, status, delete and restore.</summary>
internal sealed class SnapshotActions(SnapshotRepositories repositories, SnapshotService snapshots)
{
    public void Register(RestRouter router)
    {
        router.Add("GET", "/_snapshot", GetRepositoriesAsync);
        router.Add("GET", "/_snapshot/{repository}", GetRepositoriesAsync);
        router.Add(["PUT", "POST"], "/_snapshot/{repository}", PutRepositoryAsync);
        router.Add("DELETE", "/_snapshot/{repository}", DeleteRepositoryAsync);
        router.Add(["PUT", "POST"], "/_snapshot/{repository}/{snapshot}", CreateAsync);
        router.Add("GET", "/_snapshot/{repository}/{snapshot}", GetAsync);
        router.Add("DELETE", "/_snapshot/{repository}/{snapshot}", DeleteAsync);
        router.Add("GET", "/_snapshot/{repository}/{snapshot}/_status", StatusAsync);
        router.Add("POST", "/_snapshot/{repository}/{snapshot}/_restore", RestoreAsync);
    }

    private Task<RestResponse> GetRepositoriesAsync(RestRequest request)
    {
        var expression = request.PathParameter("repository") ?? "_all";
        var result = new JsonObject();
        foreach (var part in expression.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part is "_all" or "*" || part.Contains('*', StringComparison.Ordinal))
            {
                foreach (var (name, repository) in repositories.All.Where(r => part is "_all" || Indices.IndexResolver.Matches(part, r.Key)))
                {
                    result[name] = repository.ToResponseJson();
                }
            }
            else
            {
                result[part] = repositories.Require(part).ToResponseJson();
            }
        }

        return Task.FromResult(RestResponse.Ok(result));
    }

    private async Task<RestResponse> PutRepositoryAsync(RestRequest request)
    {
        await repositories.PutAsync(request.RequiredPathParameter("repository"), request.RequiredJsonBody(), request.Aborted);
        return RestResponse.Ok(new JsonObject { ["acknowledged"] = true });
    }

    private async Task<RestResponse> DeleteRepositoryAsync(RestRequest request)
    {
        await repositories.DeleteAsync(request.RequiredPathParameter("repository"), request.Aborted);
        return RestResponse.Ok(new JsonObject { ["acknowledged"] = true });
    }

    private async Task<RestResponse> CreateAsync(RestRequest request)
    {
        var body = request.JsonBody() ?? [];
        var indices = body["indices"] switch
        {
            null => null,
            JsonArray array => string.Join(',', array.Select(i => i!.GetValue<string>())),
            var value => value.GetValue<string>(),
        };
        // The copy runs within the request either way: without wait_for_completion the caller is told it was accepted.
        var info = await snapshots.CreateAsync(request.RequiredPathParameter("repository"), request.RequiredPathParameter("snapshot"), indices, request.Aborted);
        return request.Flag("wait_for_completion")
            ? RestResponse.Ok(new JsonObject { ["snapshot"] = info.ToResponseJson() })
            : RestResponse.Ok(new JsonObject { ["accepted"] = true });
    }

    private Task<RestResponse> GetAsync(RestRequest request)
    {
        var repository = request.RequiredPathParameter("repository");
        var list = snapshots.List(repository, request.RequiredPathParameter("snapshot"));
        var array = new JsonArray();
        foreach (var snapshot in list)
        {
            var json = snapshot.ToResponseJson();
            json["repository"] = repository;
            array.Add(json);
        }

        return Task.FromResult(RestResponse.Ok(new JsonObject { ["snapshots"] = array, ["total"] = list.Count, ["remaining"] = 0 }));
    }

    private Task<RestResponse> StatusAsync(RestRequest request)
    {
        var repository = request.RequiredPathParameter("repository");
        var array = new JsonArray();
        foreach (var snapshot in snapshots.List(repository, request.RequiredPathParameter("snapshot")))
        {
            var indices = new JsonObject();
            foreach (var index in snapshot.Indices)
            {
                var failed = snapshot.Failures.Count(f => f.Index == index.Name);
                var (files, bytes) = snapshots.Stats(repository, snapshot, index);
                indices[index.Name] = new JsonObject
                {
                    ["shards_stats"] = ShardStats(index.NumberOfShards, failed),
                    ["stats"] = FileStats(files, bytes),
                };
            }

            var (totalFiles, totalBytes) = snapshots.Stats(repository, snapshot);
            array.Add(new JsonObject
            {
                ["snapshot"] = snapshot.Name,
                ["repository"] = repository,
                ["uuid"] = snapshot.Uuid,
                ["state"] = snapshot.State,
                ["include_global_state"] = false,
                ["shards_stats"] = ShardStats(snapshot.TotalShards, snapshot.Failures.Length),
                ["stats"] = FileStats(totalFiles, totalBytes),
                ["indices"] = indices,
            });
        }

        return Task.FromResult(RestResponse.Ok(new JsonObject { ["snapshots"] = array }));
    }

    private async Task<RestResponse> DeleteAsync(RestRequest request)
    {
        await snapshots.DeleteAsync(request.RequiredPathParameter("repository"), request.RequiredPathParameter("snapshot"), request.Aborted);
        return RestResponse.Ok(new JsonObject { ["acknowledged"] = true });
    }

    private async Task<RestResponse> RestoreAsync(RestRequest request)
    {
        var body = request.JsonBody() ?? [];
        foreach (var key in body.Select(p => p.Key))
        {
            if (key is not ("indices" or "rename_pattern" or "rename_replacement" or "include_global_state" or "include_aliases" or "partial" or "ignore_unavailable"))
            {
                throw ElasticsearchException.IllegalArgument($"unsupported restore parameter [{key}]");
            }
        }

        var indices = body["indices"] switch
        {
            null => null,
            JsonArray array => string.Join(',', array.Select(i => i!.GetValue<string>())),
            var value => value.GetValue<string>(),
        };
        var result = await snapshots.RestoreAsync(request.RequiredPathParameter("repository"), request.RequiredPathParameter("snapshot"),
            new RestoreRequest(indices, body["rename_pattern"]?.GetValue<string>(), body["rename_replacement"]?.GetValue<string>()), request.Aborted);
        if (!request.Flag("wait_for_completion"))
        {
            return RestResponse.Ok(new JsonObject { ["accepted"] = true });
        }

        return RestResponse.Ok(new JsonObject
        {
            ["snapshot"] = new JsonObject
            {
                ["snapshot"] = result.Snapshot,
                ["indices"] = new JsonArray([.. result.Indices.Select(i => (JsonNode)i)]),
                ["shards"] = new JsonObject { ["total"] = result.Shards, ["failed"] = 0, ["successful"] = result.Shards },
            },
        });
    }

    private static JsonObject ShardStats(int total, int failed) => new()
    {
        ["initializing"] = 0,
        ["started"] = 0,
        ["finalizing"] = 0,
        ["done"] = total - failed,
        ["failed"] = failed,
        ["total"] = total,
    };

    private static JsonObject FileStats(long files, long bytes) => new()
    {
        ["incremental"] = new JsonObject { ["file_count"] = files, ["size_in_bytes"] = bytes },
        ["total"] = new JsonObject { ["file_count"] = files, ["size_in_bytes"] = bytes },
    };
}
