using Cloud.Shared.Hosting;

var builder = CloudHost.CreateBuilder("runner", args);
var app = builder.Build();
app.MapCloudHealth();
await app.RunAsync();
