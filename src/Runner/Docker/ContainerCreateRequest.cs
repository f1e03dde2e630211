using System.Collections.Immutable;
using Cloud.Shared.Containers;

namespace Cloud.Runner.Docker;

/// <summary>A container to create: its definition, plus labels the runner adds (owner, definition hash).</summary>
internal sealed record ContainerCreateRequest(string Name, ContainerSpec Spec, ImmutableSortedDictionary<string, string> RunnerLabels);
