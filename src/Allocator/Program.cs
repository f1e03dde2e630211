using Cloud.Allocator.Configuration;
using Cloud.Allocator.Coordination;
using Cloud.Shared.Hosting;
using Microsoft.Extensions.DependencyInjection;

var builder = CloudHost.CreateBuilder("allocator", args, DefaultUrls.Allocator);
builder.Services.AddCloudZooKeeper(builder.Configuration);
builder.Services.AddSingleton<IZooKeeperClientSource, SharedZooKeeperClientSource>();
builder.Services.AddAllocator(builder.Configuration);
var app = builder.Build();
return await CloudHost.RunAsync(app);
