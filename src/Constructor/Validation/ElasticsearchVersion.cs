using System.Globalization;

namespace Cloud.Constructor.Validation;

/// <summary>An Elasticsearch version <c>major.minor.patch</c>, ordered numerically.</summary>
public readonly record struct ElasticsearchVersion(int Major, int Minor, int Patch) : IComparable<ElasticsearchVersion>
{
    public static bool TryParse(string? text, out ElasticsearchVersion version)
    {
        version = default;
        var parts = (text ?? string.Empty).Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        var numbers = new int[3];
        for (var i = 0; i < 3; i++)
        {
            if (parts[i].Length is 0 or > 6 || !parts[i].All(char.IsAsciiDigit)
                || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }

        version = new ElasticsearchVersion(numbers[0], numbers[1], numbers[2]);
        return true;
    }

    public int CompareTo(ElasticsearchVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major)
        : Minor != other.Minor ? Minor.CompareTo(other.Minor)
        : Patch.CompareTo(other.Patch);

    public static bool operator <(ElasticsearchVersion left, ElasticsearchVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(ElasticsearchVersion left, ElasticsearchVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(ElasticsearchVersion left, ElasticsearchVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ElasticsearchVersion left, ElasticsearchVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");
}
