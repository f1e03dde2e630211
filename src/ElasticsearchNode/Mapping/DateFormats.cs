using System.Globalization;
using System.Text.RegularExpressions;

namespace Cloud.ElasticsearchNode.Mapping;

/// <summary>
/// Dates as Elasticsearch's default format reads them (<c>strict_date_optional_time||epoch_millis</c>),
/// held as epoch milliseconds in UTC.
/// </summary>
internal static partial class DateFormats
{
    /// <summary>Whether a string seen in a new field should be mapped as a date (dynamic date detection).</summary>
    public static bool LooksLikeDate(string value) => value.Length >= 10 && StrictDateOptionalTime().IsMatch(value) && TryParse(value, out _);

    public static bool TryParse(string value, out long epochMillis)
    {
        epochMillis = 0;
        if (StrictDateOptionalTime().IsMatch(value))
        {
            var normalized = value.Length == 10 ? value + "T00:00:00Z" : value;
            if (DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                epochMillis = parsed.ToUnixTimeMilliseconds();
                return true;
            }

            return false;
        }

        return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out epochMillis);
    }

    public static string Format(long epochMillis) =>
        DateTimeOffset.FromUnixTimeMilliseconds(epochMillis).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}([.,]\d{1,9})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex StrictDateOptionalTime();
}
