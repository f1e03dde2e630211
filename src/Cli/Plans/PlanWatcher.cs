using System.Globalization;
using System.Text.Json;
using Cloud.Cli.Api;
using Cloud.Cli.Output;

namespace Cloud.Cli.Plans;

/// <summary>
/// Follows a plan attempt through <c>GET .../plan/activity</c> until it ends, printing each step as
/// its status changes with a progress bar (table output); returns the finished attempt.
/// </summary>
public sealed class PlanWatcher(CloudApiClient api, TextWriter? progress, TimeSpan pollInterval)
{
    /// <param name="planId">The plan whose attempt to follow; null follows whichever attempt runs.</param>
    public async Task<JsonElement> WatchAsync(string clusterId, string? planId, CancellationToken cancellationToken)
    {
        var path = $"api/v1/clusters/elasticsearch/{Uri.EscapeDataString(clusterId)}/plan/activity";
        var shown = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            var activity = await api.GetAsync(path, cancellationToken);
            if (Find(activity, planId) is { } attempt)
            {
                Report(attempt, shown);
                if (Json.Text(attempt, "status") is { } status && status != "running")
                {
                    return attempt;
                }
            }

            await Task.Delay(pollInterval, cancellationToken);
        }
    }

    /// <summary>True when the attempt ended well.</summary>
    public static bool Succeeded(JsonElement attempt) => Json.Text(attempt, "status") == "success";

    private static JsonElement? Find(JsonElement activity, string? planId)
    {
        var candidates = new List<JsonElement>();
        if (Json.TryGet(activity, ["current"], out var current))
        {
            candidates.Add(current);
        }

        candidates.AddRange(Json.Items(activity, "history").Reverse());
        foreach (var attempt in candidates)
        {
            if (planId is null || Json.Text(attempt, "plan_id") == planId)
            {
                return attempt;
            }
        }

        return null;
    }

    private void Report(JsonElement attempt, Dictionary<string, string> shown)
    {
        if (progress is null)
        {
            return;
        }

        var steps = Json.Items(attempt, "steps").ToList();
        var done = steps.Count(s => Json.Text(s, "status") is "success" or "skipped" or "error");
        foreach (var step in steps)
        {
            var id = Json.Text(step, "step_id") ?? "?";
            var status = Json.Text(step, "status") ?? "pending";
            if (status == "pending" || (shown.TryGetValue(id, out var before) && before == status))
            {
                continue;
            }

            shown[id] = status;
            var duration = Json.Number(step, "duration_ms") is { } ms ? string.Create(CultureInfo.InvariantCulture, $"  {ms} ms") : string.Empty;
            progress.WriteLine($"{ProgressBar.Render(done, steps.Count)}  {Mark(status)} {id} {status}{duration}");
            if (status == "error")
            {
                foreach (var line in Json.Items(step, "info_log").TakeLast(3))
                {
                    progress.WriteLine("      " + (line.ValueKind == JsonValueKind.String ? line.GetString() : line.GetRawText()));
                }
            }
        }

        if (Json.Text(attempt, "status") is { } status2 && status2 != "running" && shown.TryAdd("\0attempt", status2))
        {
            progress.WriteLine($"Plan {Json.Text(attempt, "plan_id")} attempt {Json.Text(attempt, "attempt_id")}: {status2}" +
                (Json.Text(attempt, "error") is { } error ? $" ({error})" : string.Empty));
        }
    }

    private static string Mark(string status) => status switch
    {
        "success" => "✓",
        "error" => "✗",
        "skipped" => "·",
        _ => "›",
    };
}
