using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace Cloud.ElasticsearchNode.Mapping;

/// <summary>
/// Elasticsearch's built-in analyzers by name, built from Lucene's. <c>standard</c> is Lucene's
/// StandardAnalyzer without stop words, as Elasticsearch configures it.
/// </summary>
internal static class AnalyzerRegistry
{
    public const string Default = "standard";

    private static readonly Dictionary<string, Analyzer> Analyzers = new(StringComparer.Ordinal)
    {
        ["standard"] = new StandardAnalyzer(LuceneVersion.LUCENE_48, CharArraySet.Empty),
        ["simple"] = new SimpleAnalyzer(LuceneVersion.LUCENE_48),
        ["whitespace"] = new WhitespaceAnalyzer(LuceneVersion.LUCENE_48),
        ["keyword"] = new KeywordAnalyzer(),
        ["stop"] = new StopAnalyzer(LuceneVersion.LUCENE_48),
        ["english"] = new EnglishAnalyzer(LuceneVersion.LUCENE_48),
    };

    public static bool IsKnown(string name) => Analyzers.ContainsKey(name);

    public static Analyzer Get(string? name) => Analyzers.GetValueOrDefault(name ?? Default) ?? Analyzers[Default];
}
