using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Cloud.Testing;

namespace Cloud.Proxy.Benchmarks;

/// <summary>Our proxy as its own process (the Release build, with its runtimeconfig: GC mode as shipped).</summary>
internal sealed class ProxyProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ProxyProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public int Port { get; }

    public HttpClient Client { get; }

    public static async Task<ProxyProcess> StartAsync(string proxyDll, string connectString)
    {
        var port = FreePorts.Next();
        var info = new ProcessStartInfo("dotnet", [
            proxyDll,
            $"--urls=http://127.0.0.1:{port}",
            $"--ZooKeeper:ConnectString={connectString}",
            "--Proxy:ProxyId=bench-proxy",
            "--Serilog:MinimumLevel:Default=Warning",
        ])
        { RedirectStandardOutput = false, RedirectStandardError = false };
        var process = Process.Start(info)!;
        var proxy = new ProxyProcess(process, port);
        await proxy.WaitHealthyAsync(TimeSpan.FromMinutes(2));
        return proxy;
    }

    public async Task<JsonElement> HealthAsync() => await Client.GetFromJsonAsync<JsonElement>("/_health");

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var response = await Client.GetAsync("/_health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the proxy did not become healthy");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
