using Cloud.Shared.Hosting;

var builder = CloudHost.CreateBuilder("constructor", args);
var app = builder.Build();
app.MapCloudHealth();
await app.RunAsync();
