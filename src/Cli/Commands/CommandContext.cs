using System.CommandLine;
using System.Text.Json;
using Cloud.Cli.Api;
using Cloud.Cli.Configuration;
using Cloud.Cli.Plans;

namespace Cloud.Cli.Commands;

/// <summary>What one command invocation works with: the resolved settings, the API and the output streams.</summary>
public sealed class CommandContext(CliSettings settings, CloudApiClient api, TextWriter output, TextWriter error, TimeSpan pollInterval)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public CliSettings Settings { get; } = settings;

    public CloudApiClient Api { get; } = api;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public bool Json => Settings.Output == OutputFormat.Json;

    public void WriteJson(JsonElement element) => Output.WriteLine(JsonSerializer.Serialize(element, Indented));

    public void WriteJson(object value) => Output.WriteLine(JsonSerializer.Serialize(value, Indented));

    /// <summary>Follows a plan to its end (progress on stdout for tables) and returns the exit code it deserves.</summary>
    public async Task<int> WatchPlanAsync(string clusterId, string? planId, CancellationToken cancellationToken)
    {
        var watcher = new PlanWatcher(Api, Json ? null : Output, pollInterval);
        var attempt = await watcher.WatchAsync(clusterId, planId, cancellationToken);
        if (Json)
        {
            WriteJson(new Dictionary<string, object?> { ["cluster_id"] = clusterId, ["plan_id"] = planId, ["attempt"] = attempt });
        }

        return PlanWatcher.Succeeded(attempt) ? ExitCodes.Ok : ExitCodes.PlanFailed;
    }

    public static string Escape(string segment) => Uri.EscapeDataString(segment);

    internal static CommandContext Create(ParseResult parse, CliRuntime runtime) =>
        runtime.CreateContext(parse.GetValue(runtime.Options.ApiUrl), parse.GetValue(runtime.Options.ApiKey), parse.GetValue(runtime.Options.Output));
}
