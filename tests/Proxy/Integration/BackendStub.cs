using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cloud.Proxy.Tests.Integration;

/// <summary>
/// A real HTTP backend (Kestrel on a free loopback port) standing in for an Elasticsearch node: it
/// answers every request with its name, what it received (method, path, headers) and how many body
/// bytes it read, streaming the body in chunks. It can be killed and started again on the same port.
/// </summary>
internal sealed class BackendStub : IAsyncDisposable
{
    private WebApplication? _app;
    private long _requests;

    private BackendStub(string name, int port)
    {
        Name = name;
        Port = port;
    }

    public string Name { get; }

    public int Port { get; }

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Completed when the backend has received the first body bytes of a request to <c>/_bulk</c>.</summary>
    public TaskCompletionSource BulkStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<IReadOnlyDictionary<string, string>> ReceivedHeaders { get; } = new();

    public static async Task<BackendStub> StartAsync(string name, int? port = null)
    {
        var stub = new BackendStub(name, port ?? Testing.FreePorts.Next());
        await stub.StartAgainAsync();
        return stub;
    }

    public async Task StartAgainAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.ListenLocalhost(Port, o => o.Protocols = HttpProtocols.Http1);
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        _app = app;
    }

    /// <summary>Stops at once, aborting open connections, as a crashed node would.</summary>
    public async Task KillAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            using var now = new CancellationTokenSource();
            await now.CancelAsync();
            await app.StopAsync(now.Token);
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        ReceivedHeaders.Enqueue(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
        long bytes = 0;
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            bytes += read;
            if (context.Request.Path.Value!.EndsWith("/_bulk", StringComparison.Ordinal))
            {
                BulkStarted.TrySetResult();
            }
        }

        context.Response.ContentType = "application/json";
        context.Response.Headers["X-Elastic-Product"] = "Elasticsearch";
        await JsonSerializer.SerializeAsync(context.Response.Body, new Dictionary<string, object>
        {
            ["name"] = Name,
            ["method"] = context.Request.Method,
            ["path"] = context.Request.Path.Value ?? string.Empty,
            ["body_bytes"] = bytes,
        });
    }
}
