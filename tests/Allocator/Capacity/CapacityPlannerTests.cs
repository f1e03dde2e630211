using Cloud.Allocator.Capacity;
using FluentAssertions;
using Xunit;

namespace Cloud.Allocator.Tests.Capacity;

public sealed class CapacityPlannerTests
{
    // name, requests, total, expected "id:verdict:charged", used
    private static readonly Dictionary<string, (CapacityRequest[] Requests, long TotalMb, string[] Expected, long UsedMb)> Cases = new()
    {
        ["empty"] = ([], 4096, [], 0),
        ["fits exactly"] = ([new("a", 2048, 1), new("b", 2048, 2)], 4096, ["a:Accepted:2048", "b:Accepted:2048"], 4096),
        ["younger refused"] = ([new("a", 2048, 1), new("b", 3072, 2)], 4096, ["a:Accepted:2048", "b:Refused:0"], 2048),
        ["older wins whatever the input order"] = ([new("b", 3072, 2), new("a", 2048, 1)], 4096, ["a:Accepted:2048", "b:Refused:0"], 2048),
        ["smaller later one still fits"] = ([new("a", 2048, 1), new("b", 3072, 2), new("c", 1024, 3)], 4096, ["a:Accepted:2048", "b:Refused:0", "c:Accepted:1024"], 3072),
        ["running one before an older new one"] = ([new("old", 4096, 1), new("running", 4096, 5, 4096)], 4096, ["old:Refused:0", "running:Accepted:4096"], 4096),
        ["resize that fits"] = ([new("a", 3072, 1, 1024)], 4096, ["a:Accepted:3072"], 3072),
        ["resize that does not fit keeps the old size"] = ([new("a", 2048, 1, 2048), new("b", 4096, 2, 1024)], 4096, ["a:Accepted:2048", "b:KeptInForce:1024"], 3072),
        ["capacity shrunk below running: nothing running is stopped"] = ([new("a", 2048, 1, 2048), new("b", 2048, 2, 2048)], 3072, ["a:Accepted:2048", "b:KeptInForce:2048"], 4096),
        ["capacity shrunk: a new one is still refused"] = ([new("a", 2048, 1, 2048), new("b", 2048, 2, 2048), new("c", 1, 3)], 3072, ["a:Accepted:2048", "b:KeptInForce:2048", "c:Refused:0"], 4096),
        ["zero memory refused"] = ([new("a", 0, 1)], 4096, ["a:Refused:0"], 0),
        ["no capacity"] = ([new("a", 1024, 1)], 0, ["a:Refused:0"], 0),
        ["image missing: refused, charged nothing, younger one fits"] = ([new("a", 4096, 1, Refusal: "no image"), new("b", 4096, 2)], 4096, ["a:Refused:0", "b:Accepted:4096"], 4096),
        ["image missing for a running one: kept as it runs"] = ([new("a", 2048, 1, 1024, Refusal: "no image")], 4096, ["a:KeptInForce:1024"], 1024),
    };

    public static TheoryData<string> Table => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Table))]
    public void Plan_GoldenTable_MatchesExpected(string name)
    {
        var (requests, totalMb, expected, usedMb) = Cases[name];
        var plan = CapacityPlanner.Plan(requests, totalMb);

        plan.Decisions.Values.Select(d => $"{d.InstanceId}:{d.Verdict}:{d.ChargedMb}").Should().Equal(expected, name);
        plan.UsedMb.Should().Be(usedMb, name);
        // Whatever is started or resized fits; only instances already running may be over (after a shrink).
        plan.Decisions.Values.Where(d => d.Verdict == CapacityVerdict.Accepted).Sum(d => d.ChargedMb).Should().BeLessThanOrEqualTo(totalMb, name);
    }

    [Fact]
    public void Plan_CapacityShrunkBelowRunning_KeepsItRunningAndSaysWhy()
    {
        var plan = CapacityPlanner.Plan([new("a", 2048, 1, 2048), new("b", 2048, 2, 2048)], 3072);

        plan.For("b").Reason.Should().Be("over capacity: needs 2048 MB but only 1024 MB of 3072 MB are free; keeps running with 2048 MB until it is moved");
        plan.UsedMb.Should().BeGreaterThan(plan.TotalMb, "the registration shows the over-commit, so nothing more is placed here");
    }

    [Fact]
    public void Plan_OverCommit_SaysWhy()
    {
        var plan = CapacityPlanner.Plan([new("a", 3072, 1), new("b", 2048, 2)], 4096);

        plan.For("b").Reason.Should().Be("needs 2048 MB but only 1024 MB of 4096 MB are free");
    }

    [Fact]
    public void Plan_ResizeRefused_SaysItKeepsRunning()
    {
        var plan = CapacityPlanner.Plan([new("a", 8192, 1, 1024)], 4096);

        plan.For("a").Reason.Should().Be("resize refused: needs 8192 MB but only 4096 MB of 4096 MB are free; keeps running with 1024 MB");
    }
}
