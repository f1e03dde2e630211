using System.Diagnostics;

namespace Cloud.Testing;

/// <summary>Installs Debian packages through the project's own script, the same one CI and up.sh use.</summary>
public static class PlatformPackages
{
    private static readonly Lock Gate = new();

    public static void Install(params string[] packages)
    {
        lock (Gate)
        {
            var script = Path.Combine(RepositoryRoot.Path, "scripts", "install-deps.sh");
            using var process = Process.Start(new ProcessStartInfo("bash", [script, .. packages]) { UseShellExecute = false })
                ?? throw new InvalidOperationException("Could not start " + script);
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{script} {string.Join(' ', packages)} failed with exit code {process.ExitCode}.");
            }
        }
    }
}
