using Cloud.Runner.Hosting;
using Cloud.Shared.Hosting;

var builder = CloudHost.CreateBuilder("runner", args, DefaultUrls.Runner);
builder.Services.AddRunner(builder.Configuration);
var app = builder.Build();
return await CloudHost.RunAsync(app);
