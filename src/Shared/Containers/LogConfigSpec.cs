using System.Collections.Immutable;

namespace Cloud.Shared.Containers;

/// <summary>Docker's <c>HostConfig.LogConfig</c>: the logging driver (<c>json-file</c>, <c>local</c>...) and its options.</summary>
public sealed record LogConfigSpec(string Type, ImmutableSortedDictionary<string, string>? Config = null);
