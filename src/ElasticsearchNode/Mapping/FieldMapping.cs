using System.Collections.Immutable;

namespace Cloud.ElasticsearchNode.Mapping;

/// <summary>
/// How one field is mapped: its type, its sub-fields (<c>fields</c>, e.g. <c>title.keyword</c>) and, for
/// objects, its properties. Immutable; a mapping change produces a new tree.
/// </summary>
internal sealed record FieldMapping(string Type)
{
    public ImmutableSortedDictionary<string, FieldMapping> Properties { get; init; } = ImmutableSortedDictionary<string, FieldMapping>.Empty.WithComparers(StringComparer.Ordinal);

    public ImmutableSortedDictionary<string, FieldMapping> Fields { get; init; } = ImmutableSortedDictionary<string, FieldMapping>.Empty.WithComparers(StringComparer.Ordinal);

    public int? IgnoreAbove { get; init; }

    public string? Analyzer { get; init; }

    public string? Format { get; init; }

    public bool Index { get; init; } = true;

    /// <summary>The mapping Elasticsearch gives a string seen for the first time: text with a keyword sub-field.</summary>
    public static FieldMapping DynamicString { get; } = new(FieldTypes.Text)
    {
        Fields = ImmutableSortedDictionary.Create<string, FieldMapping>(StringComparer.Ordinal)
            .Add("keyword", new FieldMapping(FieldTypes.Keyword) { IgnoreAbove = 256 }),
    };

    public bool Equals(FieldMapping? other) =>
        other is not null && Type == other.Type && IgnoreAbove == other.IgnoreAbove && Analyzer == other.Analyzer
        && Format == other.Format && Index == other.Index
        && Properties.Count == other.Properties.Count && Properties.All(p => other.Properties.TryGetValue(p.Key, out var o) && p.Value.Equals(o))
        && Fields.Count == other.Fields.Count && Fields.All(p => other.Fields.TryGetValue(p.Key, out var o) && p.Value.Equals(o));

    public override int GetHashCode() => HashCode.Combine(Type, Properties.Count, Fields.Count, IgnoreAbove);
}
