using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Cloud.EndToEnd.Tests.Telemetry;

/// <summary>
/// A strict parser of Prometheus' text exposition format (version 0.0.4): every line must be a
/// comment, a HELP/TYPE line or a well-formed sample, so a malformed scrape fails the test.
/// </summary>
public static class PrometheusText
{
    private static readonly ImmutableHashSet<string> Types = ["counter", "gauge", "histogram", "summary", "untyped", "unknown"];

    public static ImmutableArray<PrometheusSample> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = ImmutableArray.CreateBuilder<PrometheusSample>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0 || line == "# EOF")
            {
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                if (parts.Length != 4 || !IsMetricName(parts[2]) || !Types.Contains(parts[3]))
                {
                    throw new FormatException($"line {lineNumber}: bad TYPE line: {line}");
                }

                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            samples.Add(ParseSample(line, lineNumber));
        }

        return samples.ToImmutable();
    }

    private static PrometheusSample ParseSample(string line, int lineNumber)
    {
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
        {
            i++;
        }

        var name = line[..i];
        if (!IsMetricName(name))
        {
            throw new FormatException($"line {lineNumber}: bad metric name '{name}'");
        }

        var labels = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                var label = line[i..eq];
                if (!IsMetricName(label) || line[eq + 1] != '"')
                {
                    throw new FormatException($"line {lineNumber}: bad label near '{line[i..]}'");
                }

                var value = new StringBuilder();
                var j = eq + 2;
                for (; line[j] != '"'; j++)
                {
                    if (line[j] == '\\')
                    {
                        j++;
                        value.Append(line[j] switch { 'n' => '\n', var c => c });
                    }
                    else
                    {
                        value.Append(line[j]);
                    }
                }

                labels[label] = value.ToString();
                i = j + 1;
                if (line[i] == ',')
                {
                    i++;
                }
            }

            i++;
        }

        var fields = line[i..].Trim().Split(' ');
        if (fields.Length is < 1 or > 2 || !TryParseValue(fields[0], out var number))
        {
            throw new FormatException($"line {lineNumber}: bad value in '{line}'");
        }

        return new PrometheusSample(name, labels.ToImmutable(), number);
    }

    private static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    private static bool IsMetricName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');
}
