using System.Collections.Immutable;
using Cloud.Runner.Hosting;
using Cloud.Runner.Reconcile;
using FluentAssertions;
using Microsoft.Extensions.Options;
using Xunit;

namespace Cloud.Runner.Tests.Reconcile;

public sealed class RestartBookTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-01-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private readonly RestartBook _book = new(Options.Create(new RunnerOptions
    {
        RestartBackoffInitial = TimeSpan.FromSeconds(1),
        RestartBackoffMax = TimeSpan.FromSeconds(8),
        RestartBackoffResetAfter = TimeSpan.FromSeconds(60),
    }));

    [Fact]
    public void RecordRestart_Repeated_BackoffGrowsAndTotalCounts()
    {
        var first = _book.RecordRestart("a", "c1", Now);
        var second = _book.RecordRestart("a", "c1", Now);
        var third = _book.RecordRestart("a", "c1", Now);

        third.Attempts.Should().Be(3);
        third.Total.Should().Be(3);
        (first.NextAttemptAt - Now).Should().BeLessThan(second.NextAttemptAt - Now);
        (third.NextAttemptAt - Now).Should().BeGreaterThan(TimeSpan.FromSeconds(3));
        _book.RestartsOf("a", "c1").Should().Be(3);
    }

    [Fact]
    public void RecordRestart_NewContainerId_StartsOver()
    {
        _book.RecordRestart("a", "c1", Now);
        _book.RecordRestart("a", "c1", Now);

        _book.RecordRestart("a", "c2", Now).Total.Should().Be(1);
        _book.RestartsOf("a", "c1").Should().Be(0);
    }

    [Fact]
    public void Prune_RanLongEnough_BackoffResetTotalKept()
    {
        _book.RecordRestart("a", "c-1", Now);
        _book.RecordRestart("a", "c-1", Now);
        var running = Specs.Observed("a", "running", "h") with { StartedAt = Now.AddMinutes(-2) };

        _book.Prune(Desired("a"), [running], Now);

        _book.Current["a"].Attempts.Should().Be(0);
        _book.Current["a"].Total.Should().Be(2);
    }

    [Fact]
    public void Prune_DefinitionGone_Forgotten()
    {
        _book.RecordRestart("a", "c-1", Now);

        _book.Prune(Desired(), [Specs.Observed("a", "exited", "h", 1)], Now);

        _book.Current.Should().BeEmpty();
    }

    private static ImmutableSortedDictionary<string, DesiredContainer> Desired(params string[] names) =>
        names.ToImmutableSortedDictionary(n => n, n => Specs.Desired(n), StringComparer.Ordinal);
}
