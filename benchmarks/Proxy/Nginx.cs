using System.Diagnostics;
using Cloud.Testing;

namespace Cloud.Proxy.Benchmarks;

/// <summary>
/// Our own nginx (Debian's nginx-light binary) with its own prefix and config on a free loopback port,
/// answering a small JSON body: the fast static backend both proxies forward to. Never the system one.
/// </summary>
internal sealed class Nginx : IAsyncDisposable
{
    private readonly Process _process;

    private Nginx(Process process, int port, string prefix)
    {
        _process = process;
        Port = port;
        Prefix = prefix;
    }

    public int Port { get; }

    public string Prefix { get; }

    /// <summary>CPU time the process has used so far (user + system, all threads).</summary>
    public TimeSpan Cpu => ProcessCpu.Of(_process);

    public static async Task<Nginx> StartAsync(string name)
    {
        var port = FreePorts.Next();
        var prefix = Directory.CreateTempSubdirectory($"bench-nginx-{name}-").FullName;
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        var config = $$"""
            daemon off;
            master_process off;
            worker_processes 1;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/logs/error.log warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}/body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                keepalive_requests 1000000;
                server {
                    listen 127.0.0.1:{{port}} reuseport;
                    location / {
                        default_type application/json;
                        return 200 '{"name":"{{name}}","cluster_name":"bench","tagline":"You Know, for Search"}\n';
                    }
                }
            }
            """;
        var configPath = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(configPath, config);
        var process = Process.Start(new ProcessStartInfo("nginx", ["-p", prefix, "-c", configPath]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var nginx = new Nginx(process, port, prefix);
        await Tcp.WaitListeningAsync(port, TimeSpan.FromSeconds(20));
        return nginx;
    }

    /// <summary>SIGKILL: the process dies with its connections open, as a crashed node would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        Directory.Delete(Prefix, recursive: true);
        return ValueTask.CompletedTask;
    }
}
