using Cloud.Testing;

namespace Cloud.Proxy.Tests.Clients;

/// <summary>npm's @elastic/elasticsearch 9.x, installed once per machine into a folder of its own.</summary>
internal static class JavaScriptClient
{
    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "cloud-proxy-tests-es-js-client-9");

    public static async Task<string> InstallAsync()
    {
        if (File.Exists(Path.Combine(Folder, "node_modules", "@elastic", "elasticsearch", "package.json")))
        {
            return Folder;
        }

        // Installed beside the final folder and moved in one rename, so a concurrent run never sees half an install.
        var staging = Folder + "-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(staging);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(staging, "package.json"), "{\"name\":\"proxy-client-tests\",\"private\":true}");
            await using var npm = ExternalProcess.Start("npm", ["install", "--no-audit", "--no-fund", "--silent", "@elastic/elasticsearch@9"], workingDirectory: staging);
            if (!await npm.WaitForExitAsync(TimeSpan.FromMinutes(5)) || npm.ExitCode != 0)
            {
                throw new InvalidOperationException("npm install @elastic/elasticsearch@9 failed:\n" + string.Join('\n', npm.Output));
            }

            try
            {
                Directory.Move(staging, Folder);
            }
            catch (IOException) when (Directory.Exists(Path.Combine(Folder, "node_modules", "@elastic", "elasticsearch")))
            {
                // Another run installed it first.
            }
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        return Folder;
    }
}
