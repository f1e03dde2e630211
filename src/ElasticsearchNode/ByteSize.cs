using System.Globalization;

namespace Cloud.ElasticsearchNode;

/// <summary>Sizes as Elasticsearch and the JVM write them: <c>100mb</c>, <c>1g</c>, <c>512m</c>, <c>1024k</c>, plain bytes.</summary>
internal static class ByteSize
{
    public static long Parse(string value)
    {
        var text = value.Trim().ToLowerInvariant();
        var split = text.Length;
        while (split > 0 && char.IsLetter(text[split - 1]))
        {
            split--;
        }

        var multiplier = text[split..] switch
        {
            "" or "b" => 1L,
            "k" or "kb" => 1L << 10,
            "m" or "mb" => 1L << 20,
            "g" or "gb" => 1L << 30,
            "t" or "tb" => 1L << 40,
            var unit => throw new FormatException($"unknown size unit [{unit}] in [{value}]"),
        };
        return long.Parse(text[..split], NumberStyles.None, CultureInfo.InvariantCulture) * multiplier;
    }
}
