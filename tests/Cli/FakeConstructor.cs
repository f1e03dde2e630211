using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cloud.Cli.Tests;

/// <summary>
/// A small HTTP server on a free loopback port that speaks the constructor's contract (paths,
/// snake_case fields, error shape, ApiKey auth) with canned data; a created cluster's plan moves
/// one step further each time its activity is read, and ends in <see cref="PlanOutcome"/>.
/// </summary>
public sealed class FakeConstructor : IAsyncDisposable
{
    public static readonly string[] StepIds = ["validate", "start-new-nodes", "wait-for-join", "migrate-shards", "update-routing", "stop-old-nodes", "record-plan"];

    private readonly WebApplication _app;
    private int _activityReads;

    private FakeConstructor(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public string? RequiredKey { get; init; }

    public string PlanOutcome { get; set; } = "success";

    /// <summary>Every request received: method, path and query, body.</summary>
    public ConcurrentQueue<(string Method, string Path, string Body, string? Authorization)> Requests { get; } = new();

    public static async Task<FakeConstructor> StartAsync(string? requiredKey = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeConstructor(app) { RequiredKey = requiredKey };
        fake.Map(app);
        await app.StartAsync();
        fake.Url = new Uri(app.Urls.First());
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Request.Body.Position = 0;
            var auth = context.Request.Headers.Authorization.ToString();
            Requests.Enqueue((context.Request.Method, context.Request.Path + context.Request.QueryString, body, auth.Length == 0 ? null : auth));
            if (RequiredKey is not null && auth != "ApiKey " + RequiredKey)
            {
                await Error(StatusCodes.Status401Unauthorized, "auth.unauthenticated", "Send a valid key").ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        const string clusters = "/api/v1/clusters/elasticsearch";
        app.MapPost(clusters, (HttpRequest request) =>
        {
            var validateOnly = request.Query["validate_only"] == "true";
            return Results.Json(Accepted(validateOnly ? null : "c1"), statusCode: validateOnly ? 200 : 201);
        });
        app.MapGet(clusters, () => Results.Json(new JsonObject
        {
            ["elasticsearch_clusters"] = new JsonArray(Cluster()),
            ["return_count"] = 1,
        }));
        app.MapGet(clusters + "/{id}", (string id) => id == "c1" ? Results.Json(Cluster()) : Error(404, "clusters.not_found", $"No cluster {id}."));
        app.MapPost(clusters + "/{id}/plan", (string id) => Results.Json(Accepted(id), statusCode: 202));
        app.MapGet(clusters + "/{id}/plan/activity", (string id) => Results.Json(Activity(Interlocked.Increment(ref _activityReads))));
        app.MapPost(clusters + "/{id}/_shutdown", (string id) => Results.Json(Accepted(id), statusCode: 202));
        app.MapDelete(clusters + "/{id}", (string id) => Results.Json(new JsonObject()));
        app.MapGet(clusters + "/{id}/routing", (string id) => Results.Json(JsonNode.Parse("""
            {"cluster_id":"c1","instances":[{"instance_name":"instance-0000000000","allocator_id":"host-1","zone":"zone-1","container_state":"running","reachable":true,"allocator_connected":true,"maintenance_mode":false,"routable":true}],
             "routing_table":null,"overrides":[{"override_id":"drain","override":{"action":"exclude","instances":["instance-0000000000"],"target_cluster_id":null,"reason":"disk","author":"admin","created_at":"2026-11-25T10:00:00Z","expires_at":null},"active":true}]}
            """)));
        app.MapPut(clusters + "/{id}/routing/overrides/{overrideId}", (string id, string overrideId) => Results.Json(new JsonObject { ["override_id"] = overrideId }));
        app.MapDelete(clusters + "/{id}/routing/overrides/{overrideId}", (string id, string overrideId) => Results.Json(new JsonObject()));
        const string allocators = "/api/v1/platform/infrastructure/allocators";
        app.MapGet(allocators, () => Results.Json(JsonNode.Parse("""
            {"allocators":[{"allocator_id":"host-1","host":"10.0.0.1","zone":"zone-1","capacity":{"memory":{"total_mb":4096,"used_mb":1024}},"tags":{},"maintenance_mode":false,"connected":true,"instances":["c1-instance-0000000000"]},
                           {"allocator_id":"host-2","host":"10.0.0.2","zone":"zone-2","capacity":{"memory":{"total_mb":8192,"used_mb":0}},"tags":{},"maintenance_mode":true,"connected":false,"instances":[]}]}
            """)));
        app.MapPost(allocators + "/{id}/maintenance-mode/{verb}", (string id, string verb) => Results.Json(new JsonObject()));
        app.MapPost(allocators + "/{id}/clusters/_move", (string id) => Results.Json(JsonNode.Parse($$"""{"allocator_id":"{{id}}","moves":[{"cluster_id":"c1","plan_id":"p2"}],"errors":[]}""")));
        app.MapPost("/api/v1/platform/configuration/security/enrollment-tokens", (JsonObject body) => Results.Json(new JsonObject
        {
            ["token"] = "tok-123",
            ["roles"] = body["roles"]!.DeepClone(),
            ["expires_at"] = "2026-11-25T13:00:00Z",
        }, statusCode: 201));
    }

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message, ["field"] = null }) }, statusCode: status);

    private static JsonObject Accepted(string? clusterId) => new()
    {
        ["cluster_id"] = clusterId,
        ["plan_id"] = clusterId is null ? null : "p1",
        ["validate_only"] = clusterId is null,
        ["strategy"] = "grow_and_shrink",
        ["instances"] = new JsonArray(new JsonObject { ["instance_name"] = "instance-0000000000", ["allocator_id"] = "host-1", ["zone"] = "zone-1", ["memory_mb"] = 1024 }),
    };

    private static JsonObject Cluster() => JsonNode.Parse("""
        {"cluster_id":"c1","cluster_name":"logs","healthy":true,"status":"started",
         "plan_info":{"current":{"plan_id":"p1"},"pending":null,"history":[]},
         "topology":{"instances":[{"instance_name":"instance-0000000000","allocator_id":"host-1","zone":"zone-1","memory_mb":1024,"container_state":"running","routable":true,"maintenance_mode":false,"service_version":"8.15.0"}]},
         "endpoints":{"http":"http://c1.localhost:9200"}}
        """)!.AsObject();

    /// <summary>The first read shows no attempt yet; each later read finishes one more step.</summary>
    private JsonObject Activity(int read)
    {
        if (read == 1)
        {
            return new JsonObject { ["current"] = null, ["history"] = new JsonArray() };
        }

        var finished = Math.Min(read - 1, StepIds.Length);
        var done = finished == StepIds.Length;
        var steps = new JsonArray();
        for (var i = 0; i < StepIds.Length; i++)
        {
            var status = i < finished ? (done && i == StepIds.Length - 1 && PlanOutcome == "error" ? "error" : "success") : i == finished ? "running" : "pending";
            steps.Add(new JsonObject
            {
                ["step_id"] = StepIds[i],
                ["status"] = status,
                ["started"] = status == "pending" ? null : "2026-11-25T12:00:00Z",
                ["completed"] = status is "success" or "error" ? "2026-11-25T12:00:01Z" : null,
                ["duration_ms"] = status is "success" or "error" ? 1000 + i : null,
                ["info_log"] = new JsonArray(status == "error" ? "the node did not join" : "ok"),
            });
        }

        var attempt = new JsonObject
        {
            ["attempt_id"] = "a1",
            ["plan_id"] = "p1",
            ["strategy"] = "grow_and_shrink",
            ["status"] = done ? PlanOutcome : "running",
            ["started"] = "2026-11-25T12:00:00Z",
            ["steps"] = steps,
        };
        return done
            ? new JsonObject { ["current"] = null, ["history"] = new JsonArray(attempt) }
            : new JsonObject { ["current"] = attempt, ["history"] = new JsonArray() };
    }

    public JsonElement LastBody(string method, string pathPrefix)
    {
        var request = Requests.Last(r => r.Method == method && r.Path.StartsWith(pathPrefix, StringComparison.Ordinal));
        return JsonDocument.Parse(request.Body).RootElement.Clone();
    }
}
