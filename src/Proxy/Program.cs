using Cloud.Shared.Hosting;

var builder = CloudHost.CreateBuilder("proxy", args, DefaultUrls.Proxy);
var app = builder.Build();
return await CloudHost.RunAsync(app);
