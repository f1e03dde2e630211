using System.Globalization;
using System.Text;

namespace Cloud.ElasticsearchNode.Benchmarks;

/// <summary>Deterministic ~1 KB documents: a title, a body of common words, a tag, a number and a date.</summary>
internal static class DocumentGenerator
{
    private static readonly string[] Words = [.. ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango " +
        "uniform victor whiskey xray yankee zulu search engine shard index lucene cluster node replica primary query score document field value term " +
        "quick brown fox jumps over lazy dog river mountain forest ocean desert city village road bridge tower garden market harbor island valley").Split(' ')];

    public static string Json(int i)
    {
        var random = new Random(i);
        var title = string.Join(' ', Enumerable.Range(0, 8).Select(_ => Words[random.Next(Words.Length)]));
        var body = new StringBuilder();
        while (body.Length < 850)
        {
            body.Append(Words[random.Next(Words.Length)]).Append(' ');
        }

        return string.Create(CultureInfo.InvariantCulture,
            $$"""{"title":"{{title}}","body":"{{body.ToString().TrimEnd()}}","tag":"tag-{{i % 50}}","n":{{i}},"ts":"2024-01-{{1 + (i % 28):00}}T10:00:00Z"}""");
    }

    public static string Word(Random random) => Words[random.Next(Words.Length)];
}
