using System.Collections.Immutable;
using Cloud.Runner.Docker;
using Cloud.Runner.Reconcile;
using Cloud.Shared.Containers;
using FluentAssertions;
using Xunit;

namespace Cloud.Runner.Tests.Reconcile;

public sealed class ContainerDiffTests
{
    /// <summary>
    /// The golden table: desired (none / valid / refused), observed (none or Docker status), whether the
    /// container's hash label matches, restart policy, exit code, and the decision. Exited containers are
    /// always left to Docker's restart policy: the runner never restarts one itself.
    /// </summary>
    public static TheoryData<string, string, string, bool, string?, int?, string> Table => new()
    {
        { "definition deleted, running", "none", "running", true, null, null, nameof(ContainerActionKind.Remove) },
        { "definition deleted, exited", "none", "exited", true, null, 0, nameof(ContainerActionKind.Remove) },
        { "refused, nothing running", "refused", "none", false, null, null, nameof(ContainerActionKind.Refuse) },
        { "refused, old container running", "refused", "running", false, null, null, nameof(ContainerActionKind.Refuse) },
        { "new definition", "valid", "none", false, "always", null, nameof(ContainerActionKind.Create) },
        { "changed definition, running", "valid", "running", false, "always", null, nameof(ContainerActionKind.Recreate) },
        { "changed definition, exited", "valid", "exited", false, "no", 1, nameof(ContainerActionKind.Recreate) },
        { "matching, running (adopt)", "valid", "running", true, "always", null, nameof(ContainerActionKind.Keep) },
        { "matching, restarting by docker", "valid", "restarting", true, "always", null, nameof(ContainerActionKind.Keep) },
        { "matching, paused", "valid", "paused", true, "always", null, nameof(ContainerActionKind.Keep) },
        { "matching, being removed", "valid", "removing", true, "always", null, nameof(ContainerActionKind.Keep) },
        { "matching, created not started", "valid", "created", true, "no", null, nameof(ContainerActionKind.Start) },
        { "matching, dead", "valid", "dead", true, "always", null, nameof(ContainerActionKind.Recreate) },
        { "exited, no policy", "valid", "exited", true, null, 1, nameof(ContainerActionKind.LeaveExited) },
        { "exited, policy no", "valid", "exited", true, "no", 137, nameof(ContainerActionKind.LeaveExited) },
        { "exited, policy always (Docker decides)", "valid", "exited", true, "always", 137, nameof(ContainerActionKind.LeaveExited) },
        { "exited, unless-stopped (Docker decides)", "valid", "exited", true, "unless-stopped", 0, nameof(ContainerActionKind.LeaveExited) },
        { "failed, on-failure (Docker decides)", "valid", "exited", true, "on-failure:3", 1, nameof(ContainerActionKind.LeaveExited) },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Compute_GoldenTable_DecidesAsTabled(string @case, string desired, string observed, bool sameHash, string? policy, int? exitCode, string expected)
    {
        var spec = Specs.Elasticsearch(restartPolicy: PolicyName(policy), maxRetries: PolicyMax(policy));
        var definitions = desired switch
        {
            "valid" => Definitions(DesiredContainer.Valid("es-1", spec)),
            "refused" => Definitions(DesiredContainer.Refused("es-1", spec, ["HostConfig.Privileged is refused"])),
            _ => Definitions(),
        };
        var hash = sameHash ? ContainerSpecJson.Hash(spec) : "0123456789abcdef";
        RuntimeContainerState[] owned = observed == "none" ? [] : [Specs.Observed("es-1", observed, hash, exitCode)];
        var actions = ContainerDiff.Compute(definitions, owned);

        actions.Should().ContainSingle(because: @case).Which.Kind.Should().Be(Enum.Parse<ContainerActionKind>(expected), because: @case);
    }

    [Fact]
    public void Compute_NothingDesiredNothingObserved_NoActions()
    {
        ContainerDiff.Compute(Definitions(), []).Should().BeEmpty();
    }

    [Fact]
    public void Compute_ManyNames_OneActionPerNameInNameOrder()
    {
        var definitions = Definitions(Specs.Desired("b"), Specs.Desired("a"), Specs.Desired("c"));
        RuntimeContainerState[] owned = [Specs.Observed("d", "running", "x", id: "d1"), Specs.Observed("a", "running", Specs.Desired("a").Hash, id: "a1")];

        var actions = ContainerDiff.Compute(definitions, owned);

        actions.Select(a => (a.Name, a.Kind)).Should().Equal(
            ("a", ContainerActionKind.Keep),
            ("b", ContainerActionKind.Create),
            ("c", ContainerActionKind.Create),
            ("d", ContainerActionKind.Remove));
    }

    [Fact]
    public void Compute_SameInputsTwice_SameDecisions()
    {
        var definitions = Definitions(Specs.Desired("a"), Specs.Desired("b"));
        RuntimeContainerState[] owned = [Specs.Observed("b", "exited", Specs.Desired("b").Hash, 137), Specs.Observed("z", "running", "x", id: "z1")];

        var first = ContainerDiff.Compute(definitions, owned);
        var second = ContainerDiff.Compute(definitions, owned);

        second.Select(a => (a.Name, a.Kind, a.Reason)).Should().Equal(first.Select(a => (a.Name, a.Kind, a.Reason)));
    }

    private static string? PolicyName(string? policy) => policy?.Split(':')[0];

    private static int? PolicyMax(string? policy) =>
        policy?.Split(':') is [_, var max] ? int.Parse(max, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static ImmutableSortedDictionary<string, DesiredContainer> Definitions(params DesiredContainer[] definitions) =>
        definitions.ToImmutableSortedDictionary(d => d.Name, d => d, StringComparer.Ordinal);

}
