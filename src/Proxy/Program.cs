using Cloud.Shared.Hosting;

var builder = CloudHost.CreateBuilder("proxy", args);
var app = builder.Build();
app.MapCloudHealth();
await app.RunAsync();
