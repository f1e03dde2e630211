using Cloud.Shared.Hosting;

var builder = CloudHost.CreateBuilder("constructor", args, DefaultUrls.Constructor);
var app = builder.Build();
return await CloudHost.RunAsync(app);
