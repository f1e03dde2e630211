using Cloud.Testing;

namespace Cloud.EndToEnd.Tests.Product;

/// <summary>The official Elasticsearch clients, run as a user runs them: Debian's Python client and npm's JavaScript client.</summary>
internal static class OfficialClients
{
    private static readonly SemaphoreSlim NpmGate = new(1, 1);

    public static string ScriptsFolder => Path.Combine(AppContext.BaseDirectory, "Product", "Clients");

    public static async Task<(int ExitCode, string Output)> RunPythonAsync(IReadOnlyDictionary<string, string> environment) =>
        await RunAsync("/usr/bin/python3", [Path.Combine(ScriptsFolder, "smoke.py")], environment);

    public static async Task<(int ExitCode, string Output)> RunNodeAsync(IReadOnlyDictionary<string, string> environment)
    {
        var folder = await InstallJavaScriptClientAsync();
        var withFolder = new Dictionary<string, string>(environment) { ["CLIENT_DIR"] = folder };
        return await RunAsync("node", [Path.Combine(ScriptsFolder, "smoke.mjs")], withFolder);
    }

    /// <summary>npm's @elastic/elasticsearch 9.x in a folder of its own, installed once per machine.</summary>
    private static async Task<string> InstallJavaScriptClientAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cloud-e2e-es-js-client-9");
        await NpmGate.WaitAsync();
        try
        {
            if (!File.Exists(Path.Combine(folder, "node_modules", "@elastic", "elasticsearch", "package.json")))
            {
                Directory.CreateDirectory(folder);
                await File.WriteAllTextAsync(Path.Combine(folder, "package.json"), "{\"name\":\"es-client-smoke\",\"private\":true}");
                var (exitCode, output) = await RunAsync("npm", ["install", "--no-audit", "--no-fund", "@elastic/elasticsearch@9"], new Dictionary<string, string>(), folder);
                if (exitCode != 0)
                {
                    throw new InvalidOperationException("npm install @elastic/elasticsearch@9 failed: " + output);
                }
            }

            return folder;
        }
        finally
        {
            NpmGate.Release();
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string command, string[] arguments, IReadOnlyDictionary<string, string> environment, string? workingDirectory = null)
    {
        await using var process = ExternalProcess.Start(command, arguments, environment, workingDirectory);
        var exited = await process.WaitForExitAsync(TimeSpan.FromMinutes(5));
        var output = string.Join('\n', process.Output);
        return exited ? (process.ExitCode, output) : (-1, "timed out: " + output);
    }
}
