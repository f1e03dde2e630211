using Cloud.Cli.Configuration;

namespace Cloud.Cli.Tests;

/// <summary>Runs cloudctl in-process with its own environment and captures what it prints.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string>? variables, string? configFile, params string[] args)
    {
        var environment = new CliEnvironment(variables ?? new Dictionary<string, string>(), configFile ?? Path.Combine(Path.GetTempPath(), "cloudctl-no-config-" + Guid.NewGuid().ToString("N")));
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var code = await new CliApplication(environment, pollInterval: TimeSpan.FromMilliseconds(20)).RunAsync(args, output, error, timeout.Token);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public static Task<CliRun> AgainstAsync(FakeConstructor api, params string[] args) =>
        RunAsync(null, null, ["--api-url", api.Url.ToString(), .. args]);
}
