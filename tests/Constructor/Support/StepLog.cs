using System.Text.Json;

namespace Cloud.Constructor.Tests.Support;

/// <summary>A constructor's log line for one plan step it ran: which step, and the trace and span it ran in.</summary>
public sealed record StepLog(string StepId, string TraceId, string SpanId)
{
    /// <summary>The step log lines of <paramref name="clusterId"/> in a constructor process's JSON output.</summary>
    public static List<StepLog> Of(IEnumerable<string> output, string clusterId) =>
    [
        .. output
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("EventId", out var ev) && ev.TryGetProperty("Name", out var n) && n.GetString() == "LogStep"
                && e.TryGetProperty("ClusterId", out var c) && c.GetString() == clusterId)
            .Select(e => new StepLog(e.GetProperty(nameof(StepId)).GetString()!, e.GetProperty("@tr").GetString()!, e.GetProperty("@sp").GetString()!)),
    ];
}
