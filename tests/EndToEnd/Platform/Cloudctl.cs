using Cloud.Testing;

namespace Cloud.EndToEnd.Tests.Platform;

/// <summary>The built <c>cloudctl</c> run as the separate process an operator runs, against the platform's API.</summary>
public static class Cloudctl
{
    public sealed record Run(int ExitCode, string Output);

    public static async Task<Run> RunAsync(LocalPlatform platform, TimeSpan timeout, params string[] args)
    {
        var dll = Path.Combine(RepositoryRoot.Path, "src", "Cli", "bin", RoleProcess.BuildConfiguration, "net10.0", "cloudctl.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build src/Cli first: {dll} is missing.", dll);
        }

        await using var process = ExternalProcess.Start(
            "dotnet",
            ["exec", dll, "--api-url", platform.ApiBaseAddress.ToString(), "--api-key", platform.ApiKey, .. args]);
        if (!await process.WaitForExitAsync(timeout))
        {
            throw new TimeoutException($"cloudctl {string.Join(' ', args)} still running after {timeout}:\n{string.Join('\n', process.Output)}");
        }

        return new Run(process.ExitCode, string.Join('\n', process.Output));
    }
}
