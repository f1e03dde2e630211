using System.Diagnostics;

namespace Cloud.Testing;

/// <summary>
/// The machine's real Docker Engine (Debian's <c>docker.io</c>): installed and started on first use
/// by the project's own script, then shared by every test.
/// </summary>
public static class DockerEngine
{
    public const string Socket = "unix:///var/run/docker.sock";
    private static readonly Lazy<Task> Ready = new(() => Task.Run(() => PlatformPackages.Install("docker.io")));

    public static Task EnsureRunningAsync() => Ready.Value;

    /// <summary>Runs the docker CLI, for test set-up and for checking from outside what the code under test did.</summary>
    public static async Task<string> CliAsync(params string[] arguments)
    {
        await EnsureRunningAsync();
        var info = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start docker");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}");
        }

        return (await output).Trim();
    }

    /// <summary>Removes every container carrying a label, e.g. the owner label of a test's simulated host.</summary>
    public static async Task RemoveContainersLabelledAsync(string label)
    {
        var ids = await CliAsync("ps", "-aq", "--filter", "label=" + label);
        foreach (var id in ids.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await CliAsync("rm", "-f", id);
        }
    }
}
