using Lucene.Net.Analysis;

namespace Cloud.ElasticsearchNode.Mapping;

/// <summary>
/// The analyzer an index writes and queries with: per field, the one its mapping names (standard by
/// default). It follows mapping changes through <see cref="Mapping"/>.
/// </summary>
internal sealed class MappingAnalyzer : AnalyzerWrapper
{
    private volatile TypeMapping _mapping;

    public MappingAnalyzer(TypeMapping mapping)
        : base(PER_FIELD_REUSE_STRATEGY)
    {
        _mapping = mapping;
    }

    public TypeMapping Mapping
    {
        get => _mapping;
        set => _mapping = value;
    }

    protected override Analyzer GetWrappedAnalyzer(string fieldName) => AnalyzerRegistry.Get(_mapping.Resolve(fieldName)?.Analyzer);
}
