using Cloud.Shared.Hosting;

var builder = CloudHost.CreateBuilder("runner", args, DefaultUrls.Runner);
var app = builder.Build();
app.MapCloudHealth();
await app.RunAsync();
