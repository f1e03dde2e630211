using Cloud.Shared.Hosting;

var builder = CloudHost.CreateBuilder("constructor", args, DefaultUrls.Constructor);
var app = builder.Build();
app.MapCloudHealth();
await app.RunAsync();
