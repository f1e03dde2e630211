using System.Globalization;

namespace Cloud.ElasticsearchNode.Search;

/// <summary>The commonest date math in range queries: <c>now</c>, <c>now-1d</c>, <c>now+2h</c>, optionally rounded (<c>/d</c>).</summary>
internal static class DateMath
{
    public static bool TryResolve(string expression, out long epochMillis, TimeProvider? time = null)
    {
        epochMillis = 0;
        if (!expression.StartsWith("now", StringComparison.Ordinal))
        {
            return false;
        }

        var now = (time ?? TimeProvider.System).GetUtcNow();
        var rest = expression[3..];
        while (rest.Length > 0)
        {
            if (rest[0] == '/')
            {
                now = Round(now, rest[1..]);
                rest = "";
                break;
            }

            var sign = rest[0] == '-' ? -1 : rest[0] == '+' ? 1 : 0;
            if (sign == 0)
            {
                return false;
            }

            var end = 1;
            while (end < rest.Length && char.IsDigit(rest[end]))
            {
                end++;
            }

            if (end == 1 || end >= rest.Length)
            {
                return false;
            }

            var amount = sign * int.Parse(rest[1..end], CultureInfo.InvariantCulture);
            now = rest[end] switch
            {
                'y' => now.AddYears(amount),
                'M' => now.AddMonths(amount),
                'w' => now.AddDays(7 * amount),
                'd' => now.AddDays(amount),
                'h' or 'H' => now.AddHours(amount),
                'm' => now.AddMinutes(amount),
                's' => now.AddSeconds(amount),
                _ => now,
            };
            rest = rest[(end + 1)..];
        }

        epochMillis = now.ToUnixTimeMilliseconds();
        return true;
    }

    private static DateTimeOffset Round(DateTimeOffset value, string unit) => unit switch
    {
        "d" => new DateTimeOffset(value.Year, value.Month, value.Day, 0, 0, 0, TimeSpan.Zero),
        "h" or "H" => new DateTimeOffset(value.Year, value.Month, value.Day, value.Hour, 0, 0, TimeSpan.Zero),
        "M" => new DateTimeOffset(value.Year, value.Month, 1, 0, 0, 0, TimeSpan.Zero),
        "y" => new DateTimeOffset(value.Year, 1, 1, 0, 0, 0, TimeSpan.Zero),
        _ => value,
    };
}
