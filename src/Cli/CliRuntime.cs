using Cloud.Cli.Api;
using Cloud.Cli.Commands;
using Cloud.Cli.Configuration;

namespace Cloud.Cli;

/// <summary>What commands share for one run: environment, HTTP, output streams, poll interval.</summary>
internal sealed class CliRuntime(CliEnvironment environment, HttpClient http, TextWriter output, TextWriter error, TimeSpan pollInterval)
{
    public GlobalOptions Options { get; } = new();

    public CommandContext CreateContext(string? apiUrl, string? apiKey, OutputFormat format)
    {
        var settings = CliSettingsResolver.Resolve(apiUrl, apiKey, format, environment);
        return new CommandContext(settings, new CloudApiClient(http, settings.ApiUrl, settings.ApiKey), output, error, pollInterval);
    }
}
