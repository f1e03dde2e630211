using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cloud.Testing;

/// <summary>
/// Images built on this machine from the project's own files (no registry is reachable), through
/// the same script single-host mode uses. Each is built once per source change.
/// </summary>
public static class LocalImages
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Built = new();

    /// <summary>The Elasticsearch-compatible node, tagged like the official image: <c>cloud/elasticsearch:&lt;version&gt;</c>.</summary>
    public static Task<string> ElasticsearchAsync(string version = "8.15.0") =>
        Built.GetOrAdd("es:" + version, _ => new Lazy<Task<string>>(() => BuildAsync("build-es-images.sh", [version], $"cloud/elasticsearch:{version}"))).Value;

    private static async Task<string> BuildAsync(string script, string[] arguments, string image)
    {
        await DockerEngine.EnsureRunningAsync();
        var info = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "scripts", script));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + script);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed ({process.ExitCode}): {await output}{await error}");
        }

        return image;
    }
}
