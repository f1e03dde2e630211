using Cloud.Shared.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace Cloud.Proxy;

/// <summary>Builds the proxy role's process (Program and the in-process test host share it).</summary>
public static class ProxyApplication
{
    public static WebApplication Build(string[] args)
    {
        var builder = CloudHost.CreateBuilder("proxy", args, DefaultUrls.Proxy);
        builder.Services.AddCloudProxy(builder.Configuration);
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var options = context.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestHeadersTotalSize = options.MaxRequestHeadersBytes;

            // Bodies stream through (a 100 MB _bulk is never buffered), so the proxy sets no body limit of its own.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
        });
        var app = builder.Build();
        app.UseCloudProxy();
        return app;
    }
}
