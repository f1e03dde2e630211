using System.Collections.Immutable;
using Cloud.Shared.Containers;

namespace Cloud.Runner.Reconcile;

/// <summary>
/// One definition read from <c>/cloud/containers/&lt;host_id&gt;/&lt;name&gt;</c>: the parsed spec and
/// its hash, or the reasons it is refused (unreadable JSON, or a rule of the definition validator).
/// </summary>
internal sealed record DesiredContainer(string Name, ContainerSpec? Spec, string? Hash, ImmutableArray<string> Errors)
{
    public bool IsRefused => !Errors.IsDefaultOrEmpty || Spec is null;

    public static DesiredContainer Valid(string name, ContainerSpec spec) =>
        new(name, spec, ContainerSpecJson.Hash(spec), []);

    public static DesiredContainer Refused(string name, ContainerSpec? spec, ImmutableArray<string> errors) =>
        new(name, spec, spec is null ? null : ContainerSpecJson.Hash(spec), errors);
}
