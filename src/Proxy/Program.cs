using Cloud.Proxy;
using Cloud.Shared.Hosting;

return await CloudHost.RunAsync(ProxyApplication.Build(args));
