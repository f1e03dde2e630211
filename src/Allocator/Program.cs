using Cloud.Allocator.Configuration;
using Cloud.Shared.Hosting;

var builder = CloudHost.CreateBuilder("allocator", args, DefaultUrls.Allocator);
builder.Services.AddAllocator(builder.Configuration);
var app = builder.Build();
return await CloudHost.RunAsync(app);
