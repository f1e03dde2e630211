using System.Diagnostics;
using System.Globalization;
using Cloud.Testing;

namespace Cloud.ElasticsearchNode.Benchmarks;

/// <summary>
/// The node as the platform runs it: a container of the image. Clients talk to the container's own address on
/// the Docker network (not through the published port, whose userland proxy copies every byte once more).
/// </summary>
internal sealed class ContainerNode : IAsyncDisposable
{
    private ContainerNode(string name, HttpClient http, double createMs, StartTimings start)
    {
        Name = name;
        Http = http;
        CreateMs = createMs;
        Start = start;
    }

    public string Name { get; }

    public HttpClient Http { get; }

    /// <summary><c>docker create</c> of the container (Docker's work, before the container starts).</summary>
    public double CreateMs { get; }

    /// <summary>From <c>docker start</c> (and from the container's process start) to the first successful <c>GET /</c>.</summary>
    public StartTimings Start { get; }

    public static async Task<ContainerNode> StartAsync(string image, string heapOptions)
    {
        var name = "es-bench-" + Guid.NewGuid().ToString("N")[..8];
        var (address, createMs, start) = await ContainerStart.RunAsync(name, image, ["ES_JAVA_OPTS=" + heapOptions]);
        var http = new HttpClient { BaseAddress = new Uri($"http://{address}:9200/"), Timeout = TimeSpan.FromMinutes(5) };
        return new ContainerNode(name, http, createMs, start);
    }

    /// <summary>The node's own account of its start (the startup report line), if it logged one.</summary>
    public async Task<string> StartupReportAsync()
    {
        var info = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["logs", Name])
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Split('\n').FirstOrDefault(l => l.Contains("node started", StringComparison.Ordinal))?.Trim() ?? "(no startup report)";
    }

    /// <summary>Resident memory of every process in the container.</summary>
    public async Task<long> RssAsync()
    {
        var pids = await DockerEngine.CliAsync("top", Name, "-o", "pid");
        long rss = 0;
        foreach (var line in pids.Split('\n').Skip(1))
        {
            var status = $"/proc/{line.Trim()}/status";
            if (File.Exists(status))
            {
                var vmRss = (await File.ReadAllLinesAsync(status)).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                rss += vmRss is null ? 0 : long.Parse(vmRss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return rss;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await DockerEngine.CliAsync("rm", "-f", Name);
    }
}
