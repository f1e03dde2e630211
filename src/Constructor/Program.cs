using Cloud.Constructor;
using Cloud.Constructor.Api;
using Cloud.Constructor.Clusters;
using Cloud.Constructor.Enrollment;
using Cloud.Constructor.Infrastructure;
using Cloud.Constructor.Routing;
using Cloud.Constructor.Security;
using Cloud.Shared.Hosting;

var builder = CloudHost.CreateBuilder("constructor", args, DefaultUrls.Constructor);
builder.Services.AddCloudZooKeeper(builder.Configuration);
builder.Services.AddConstructor(builder.Configuration);
builder.Services.AddEnrollment();
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);
var app = builder.Build();
app.UseMiddleware<ApiKeyMiddleware>();
app.UseMiddleware<UnreadableClusterMiddleware>();
app.MapOpenApi(ApiPaths.OpenApiPath);

// One Map*Endpoints per feature folder, so features merge without touching each other.
app.MapClusterEndpoints();
app.MapRoutingEndpoints();
app.MapInfrastructureEndpoints();
app.MapEnrollmentEndpoints();
return await CloudHost.RunAsync(app);
