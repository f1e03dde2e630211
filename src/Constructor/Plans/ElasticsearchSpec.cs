using System.Collections.Immutable;
using System.Text.Json;

namespace Cloud.Constructor.Plans;

/// <summary>The <c>elasticsearch</c> part of a plan: version, optional image override, user settings.</summary>
public sealed record ElasticsearchSpec
{
    public string? Version { get; init; }

    public string? DockerImage { get; init; }

    public ImmutableSortedDictionary<string, JsonElement>? UserSettings { get; init; }
}
