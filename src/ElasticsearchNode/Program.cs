using Cloud.ElasticsearchNode;

var settings = NodeSettings.FromEnvironment();
var identity = NodeIdentity.LoadOrCreate(settings.DataPath);
var startedAt = DateTimeOffset.UtcNow;

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
builder.WebHost.UseUrls($"http://0.0.0.0:{settings.HttpPort}");
builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true);
var app = builder.Build();

// Elasticsearch clients verify the product by this header on every response.
app.Use(async (context, next) =>
{
    context.Response.Headers["X-Elastic-Product"] = "Elasticsearch";
    await next(context);
});

app.MapGet("/", () => Results.Json(new Dictionary<string, object>
{
    ["name"] = settings.NodeName,
    ["cluster_name"] = settings.ClusterName,
    ["cluster_uuid"] = identity.ClusterUuid,
    ["version"] = new Dictionary<string, object>
    {
        ["number"] = settings.Version,
        ["build_flavor"] = "default",
        ["build_type"] = "docker",
        ["lucene_version"] = "9.11.1",
        ["minimum_wire_compatibility_version"] = "7.17.0",
        ["minimum_index_compatibility_version"] = "7.0.0",
    },
    ["tagline"] = "You Know, for Search",
}));

app.MapGet("/_cluster/health", () => Results.Json(new Dictionary<string, object>
{
    ["cluster_name"] = settings.ClusterName,
    ["status"] = "green",
    ["timed_out"] = false,
    ["number_of_nodes"] = 1,
    ["number_of_data_nodes"] = settings.Roles.Contains("data") ? 1 : 0,
}));

app.MapGet("/_nodes/_local", () => Results.Json(new Dictionary<string, object>
{
    ["cluster_name"] = settings.ClusterName,
    ["nodes"] = new Dictionary<string, object>
    {
        [identity.NodeId] = new Dictionary<string, object?>
        {
            ["name"] = settings.NodeName,
            ["version"] = settings.Version,
            ["roles"] = settings.Roles,
            ["attributes"] = new Dictionary<string, string?> { ["zone"] = settings.Zone },
            ["start_time_in_millis"] = startedAt.ToUnixTimeMilliseconds(),
        },
    },
}));

app.MapFallback((HttpContext context) => Results.Json(
    new { error = new { type = "unsupported_operation", reason = $"no handler for [{context.Request.Method} {context.Request.Path}]" }, status = 400 },
    statusCode: 400));

await app.RunAsync();
