using System.Diagnostics;
using System.Text;
using Cloud.Testing;

namespace Cloud.Proxy.Benchmarks;

/// <summary>
/// Debian's HAProxy configured the way its documentation recommends for host-based routing to many
/// backends: one frontend, a map file from host to backend (<c>use_backend %[req.hdr(host),...,map(...)]</c>),
/// keep-alive on both sides, no logging, <c>nbthread</c> set to the same thread count as our proxy.
/// </summary>
internal sealed class HaProxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private HaProxy(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        _directory = directory;
    }

    public int Port { get; }

    /// <summary>CPU time the process has used so far (user + system, all threads).</summary>
    public TimeSpan Cpu => ProcessCpu.Of(_process);

    public static async Task<HaProxy> StartAsync(IReadOnlyList<string> clusterIds, int backendPort, int threads)
    {
        var port = FreePorts.Next();
        var directory = Directory.CreateTempSubdirectory("bench-haproxy-").FullName;
        var map = new StringBuilder();
        var backends = new StringBuilder();
        foreach (var clusterId in clusterIds)
        {
            map.Append(clusterId).Append(' ').Append("be_").Append(clusterId).Append('\n');
            backends.Append($"backend be_{clusterId}\n    server s1 127.0.0.1:{backendPort}\n");
        }

        var mapPath = Path.Combine(directory, "hosts.map");
        await File.WriteAllTextAsync(mapPath, map.ToString());
        var config = $$"""
            global
                nbthread {{threads}}
                maxconn 8000
                tune.bufsize 16384

            defaults
                mode http
                timeout connect 2s
                timeout client 60s
                timeout server 60s
                option http-keep-alive
                http-reuse always

            frontend fe
                bind 127.0.0.1:{{port}}
                use_backend %[req.hdr(host),lower,field(1,:),field(1,.),map({{mapPath}})]
                default_backend be_unknown

            backend be_unknown
                http-request return status 404 content-type application/json string '{"error":"no such cluster"}'

            {{backends}}
            """;
        var configPath = Path.Combine(directory, "haproxy.cfg");
        await File.WriteAllTextAsync(configPath, config);
        var process = Process.Start(new ProcessStartInfo("haproxy", ["-f", configPath, "-db"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var haproxy = new HaProxy(process, port, directory);
        var stderr = process.StandardError.ReadToEndAsync();
        await Tcp.WaitListeningAsync(port, TimeSpan.FromSeconds(60), () => process.HasExited ? $"haproxy exited: {stderr.Result}" : null);
        return haproxy;
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
