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

    /// <summary>CPU time the process has used so far (user + system, all threads).</summary>
    public TimeSpan Cpu => ProcessCpu.Of(_process);

    /// <param name="processors">
    /// The processor count the runtime sizes itself by (thread pool, Kestrel's I/O queues, GC), set to the same
    /// number as HAProxy's <c>nbthread</c> so neither proxy gets more threads than the other.
    /// </param>
    /// <param name="environment">Extra environment variables, to compare a runtime setting side by side.</param>
    public static async Task<ProxyProcess> StartAsync(string proxyDll, string connectString, string proxyId, int processors, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePorts.Next();
        var info = new ProcessStartInfo("dotnet", [
            proxyDll,
            $"--urls=http://127.0.0.1:{port}",
            $"--ZooKeeper:ConnectString={connectString}",
            $"--Proxy:ProxyId={proxyId}",
            "--Serilog:MinimumLevel:Default=Warning",
        ])
        { RedirectStandardOutput = false, RedirectStandardError = false };
        info.Environment["DOTNET_PROCESSOR_COUNT"] = processors.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info)!;
        var proxy = new ProxyProcess(process, port);
        await proxy.WaitHealthyAsync(TimeSpan.FromMinutes(2));
        return proxy;
    }

    public async Task<JsonElement> HealthAsync() => await Client.GetFromJsonAsync<JsonElement>("/_health");

    /// <summary>Garbage collections so far (every generation), from the proxy's own /metrics.</summary>
    public async Task<long> CollectionsAsync()
    {
        var text = await Client.GetStringAsync("/metrics");
        return text.Split('\n')
            .Where(line => line.StartsWith("dotnet_gc_collections_total{", StringComparison.Ordinal))
            .Sum(line => long.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

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
