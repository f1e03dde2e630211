using System.Collections.Immutable;
using Cloud.Runner.Docker;
using Cloud.Runner.Reconcile;
using Cloud.Shared.Containers;
using FluentAssertions;
using Xunit;

namespace Cloud.Runner.Tests.Reconcile;

public sealed class ContainerDiffTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-01-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The golden table: desired (none / valid / refused), observed (none or Docker status), whether the
    /// container's hash label matches, restart policy, exit code, the runner's restart record, and the decision.
    /// </summary>
    public static TheoryData<string, string, string, bool, string?, int?, string, string> Table => new()
    {
        { "definition deleted, running", "none", "running", true, null, null, "none", nameof(ContainerActionKind.Remove) },
        { "definition deleted, exited", "none", "exited", true, null, 0, "none", nameof(ContainerActionKind.Remove) },
        { "refused, nothing running", "refused", "none", false, null, null, "none", nameof(ContainerActionKind.Refuse) },
        { "refused, old container running", "refused", "running", false, null, null, "none", nameof(ContainerActionKind.Refuse) },
        { "new definition", "valid", "none", false, "always", null, "none", nameof(ContainerActionKind.Create) },
        { "changed definition, running", "valid", "running", false, "always", null, "none", nameof(ContainerActionKind.Recreate) },
        { "changed definition, exited", "valid", "exited", false, "no", 1, "none", nameof(ContainerActionKind.Recreate) },
        { "matching, running (adopt)", "valid", "running", true, "always", null, "none", nameof(ContainerActionKind.Keep) },
        { "matching, restarting by docker", "valid", "restarting", true, "always", null, "none", nameof(ContainerActionKind.Keep) },
        { "matching, paused", "valid", "paused", true, "always", null, "none", nameof(ContainerActionKind.Keep) },
        { "matching, being removed", "valid", "removing", true, "always", null, "none", nameof(ContainerActionKind.Keep) },
        { "matching, created not started", "valid", "created", true, "no", null, "none", nameof(ContainerActionKind.Start) },
        { "matching, dead", "valid", "dead", true, "always", null, "none", nameof(ContainerActionKind.Recreate) },
        { "exited, no policy", "valid", "exited", true, null, 1, "none", nameof(ContainerActionKind.LeaveExited) },
        { "exited, policy no", "valid", "exited", true, "no", 137, "none", nameof(ContainerActionKind.LeaveExited) },
        { "killed, policy always", "valid", "exited", true, "always", 137, "none", nameof(ContainerActionKind.Restart) },
        { "exited cleanly, unless-stopped", "valid", "exited", true, "unless-stopped", 0, "none", nameof(ContainerActionKind.Restart) },
        { "exited cleanly, on-failure", "valid", "exited", true, "on-failure", 0, "none", nameof(ContainerActionKind.LeaveExited) },
        { "failed, on-failure", "valid", "exited", true, "on-failure", 1, "none", nameof(ContainerActionKind.Restart) },
        { "failed, on-failure limit reached by runner", "valid", "exited", true, "on-failure:2", 1, "attempts:2", nameof(ContainerActionKind.LeaveExited) },
        { "failed, on-failure under limit", "valid", "exited", true, "on-failure:3", 1, "attempts:2", nameof(ContainerActionKind.Restart) },
        { "killed again inside backoff", "valid", "exited", true, "always", 137, "pending", nameof(ContainerActionKind.WaitToRestart) },
        { "killed again after backoff", "valid", "exited", true, "always", 137, "elapsed", nameof(ContainerActionKind.Restart) },
        { "record of a previous container", "valid", "exited", true, "always", 137, "other-container", nameof(ContainerActionKind.Restart) },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Compute_GoldenTable_DecidesAsTabled(string @case, string desired, string observed, bool sameHash, string? policy, int? exitCode, string restart, string expected)
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
        var records = restart switch
        {
            "pending" => Records(new RestartRecord("c-1", 1, 1, Now.AddSeconds(5))),
            "elapsed" => Records(new RestartRecord("c-1", 1, 1, Now.AddSeconds(-1))),
            "other-container" => Records(new RestartRecord("c-0", 5, 5, Now.AddMinutes(5))),
            var s when s.StartsWith("attempts:", StringComparison.Ordinal) => Records(new RestartRecord("c-1", int.Parse(s[9..], System.Globalization.CultureInfo.InvariantCulture), 2, Now.AddSeconds(-1))),
            _ => Records(),
        };

        var actions = ContainerDiff.Compute(definitions, owned, records, Now);

        actions.Should().ContainSingle(because: @case).Which.Kind.Should().Be(Enum.Parse<ContainerActionKind>(expected), because: @case);
    }

    [Fact]
    public void Compute_NothingDesiredNothingObserved_NoActions()
    {
        ContainerDiff.Compute(Definitions(), [], Records(), Now).Should().BeEmpty();
    }

    [Fact]
    public void Compute_ManyNames_OneActionPerNameInNameOrder()
    {
        var definitions = Definitions(Specs.Desired("b"), Specs.Desired("a"), Specs.Desired("c"));
        RuntimeContainerState[] owned = [Specs.Observed("d", "running", "x", id: "d1"), Specs.Observed("a", "running", Specs.Desired("a").Hash, id: "a1")];

        var actions = ContainerDiff.Compute(definitions, owned, Records(), Now);

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

        var first = ContainerDiff.Compute(definitions, owned, Records(), Now);
        var second = ContainerDiff.Compute(definitions, owned, Records(), Now);

        second.Select(a => (a.Name, a.Kind, a.Reason)).Should().Equal(first.Select(a => (a.Name, a.Kind, a.Reason)));
    }

    [Fact]
    public void Compute_InsideBackoff_DueAtIsTheRecordedNextAttempt()
    {
        var desired = Specs.Desired("a", Specs.Elasticsearch(RestartPolicySpec.Always));
        var due = Now.AddSeconds(3);

        var action = ContainerDiff.Compute(Definitions(desired), [Specs.Observed("a", "exited", desired.Hash, 137)], ImmutableDictionary<string, RestartRecord>.Empty.Add("a", new RestartRecord("c-1", 1, 1, due)), Now).Single();

        action.Kind.Should().Be(ContainerActionKind.WaitToRestart);
        action.DueAt.Should().Be(due);
    }

    [Fact]
    public void Compute_OnFailureLimit_CountsDockersOwnRestartsToo()
    {
        var desired = Specs.Desired("a", Specs.Elasticsearch(RestartPolicySpec.OnFailure, maxRetries: 3));

        var action = ContainerDiff.Compute(Definitions(desired), [Specs.Observed("a", "exited", desired.Hash, 1, restartCount: 3)], Records(), Now).Single();

        action.Kind.Should().Be(ContainerActionKind.LeaveExited);
    }

    private static string? PolicyName(string? policy) => policy?.Split(':')[0];

    private static int? PolicyMax(string? policy) =>
        policy?.Split(':') is [_, var max] ? int.Parse(max, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static ImmutableSortedDictionary<string, DesiredContainer> Definitions(params DesiredContainer[] definitions) =>
        definitions.ToImmutableSortedDictionary(d => d.Name, d => d, StringComparer.Ordinal);

    private static ImmutableDictionary<string, RestartRecord> Records(params RestartRecord[] records) =>
        records.ToImmutableDictionary(_ => "es-1", r => r);
}
