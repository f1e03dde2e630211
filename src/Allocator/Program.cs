using Cloud.Shared.Hosting;

var builder = CloudHost.CreateBuilder("allocator", args, DefaultUrls.Allocator);
var app = builder.Build();
app.MapCloudHealth();
await app.RunAsync();
