using System.Collections.Immutable;
using Cloud.ZooKeeper.Recipes;
using FluentAssertions;

namespace Cloud.ZooKeeper.Tests.Recipes;

public sealed class ChildrenDiffTests
{
    private static ChildData Child(string name, byte data, long mzxid) =>
        new(name, [data], new Stat(1, mzxid, 0, 0, 0, 0, 0, 0, 1, 0, 1));

    private static ImmutableDictionary<string, ChildData> Of(params ChildData[] children) =>
        children.ToImmutableDictionary(c => c.Name, StringComparer.Ordinal);

    [Fact]
    public void Compute_AddedUpdatedRemovedUnchanged_ClassifiesEach()
    {
        var before = Of(Child("same", 1, 1), Child("changed", 1, 1), Child("gone", 1, 1));
        var after = Of(Child("same", 1, 1), Child("changed", 2, 5), Child("new", 1, 6));

        var change = ChildrenDiff.Compute(before, after, ChildrenSnapshot.Empty);

        change.Added.Should().Equal("new");
        change.Updated.Should().Equal("changed");
        change.Removed.Should().Equal("gone");
        change.IsEmpty.Should().BeFalse();
    }

    [Fact]
    public void Compute_SameContent_IsEmpty()
    {
        var change = ChildrenDiff.Compute(Of(Child("a", 1, 1)), Of(Child("a", 1, 1)), ChildrenSnapshot.Empty);

        change.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void Compute_RecreatedWithSameData_IsUpdated()
    {
        var recreated = Child("a", 1, 9) with { Stat = new Stat(9, 9, 0, 0, 0, 0, 0, 0, 1, 0, 9) };

        var change = ChildrenDiff.Compute(Of(Child("a", 1, 1)), Of(recreated), ChildrenSnapshot.Empty);

        change.Updated.Should().Equal("a");
    }
}
