using System.Globalization;
using Cloud.ElasticsearchNode.Errors;

namespace Cloud.ElasticsearchNode.Indices;

/// <summary>Elasticsearch time values (<c>500ms</c>, <c>1s</c>, <c>2m</c>, <c>1h</c>, <c>1d</c>; <c>-1</c> means off).</summary>
internal static class TimeValue
{
    public static TimeSpan? ParseOrNull(string value) => value.Trim() is "-1" ? null : Parse(value);

    public static TimeSpan Parse(string value)
    {
        var text = value.Trim();
        (string number, double unitMs) = text switch
        {
            _ when text.EndsWith("nanos", StringComparison.Ordinal) => (text[..^5], 1e-6),
            _ when text.EndsWith("micros", StringComparison.Ordinal) => (text[..^6], 1e-3),
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 1),
            _ when text.EndsWith('s') => (text[..^1], 1000),
            _ when text.EndsWith('m') => (text[..^1], 60_000),
            _ when text.EndsWith('h') => (text[..^1], 3_600_000),
            _ when text.EndsWith('d') => (text[..^1], 86_400_000),
            _ => (text, double.NaN),
        };
        if (double.IsNaN(unitMs) || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount < 0)
        {
            throw ElasticsearchException.IllegalArgument($"failed to parse setting [time value] with value [{value}] as a time value: unit is missing or unrecognized");
        }

        return TimeSpan.FromMilliseconds(amount * unitMs);
    }
}
