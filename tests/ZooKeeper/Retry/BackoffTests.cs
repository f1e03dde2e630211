using FluentAssertions;
using Microsoft.Extensions.Time.Testing;

namespace Cloud.ZooKeeper.Tests.Retry;

public sealed class BackoffTests
{
    private static readonly Backoff Policy = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), jitter: 0.5);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-3, 0)]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(3, 400)]
    [InlineData(4, 800)]
    [InlineData(5, 1000)]
    [InlineData(64, 1000)]
    [InlineData(int.MaxValue, 1000)]
    public void Ceiling_DoublesFromInitialUpToMax(int attempt, int expectedMs) =>
        Policy.Ceiling(attempt).Should().Be(TimeSpan.FromMilliseconds(expectedMs));

    [Theory]
    [InlineData(0.0, 400)]
    [InlineData(0.5, 300)]
    [InlineData(0.999999, 200)]
    public void Delay_JitterShortensTheCeilingByUpToItsShare(double random, int expectedMs) =>
        Policy.Delay(3, random).TotalMilliseconds.Should().BeApproximately(expectedMs, 0.01);

    [Fact]
    public void Delay_RandomDraws_StayWithinJitterBand()
    {
        for (var attempt = 1; attempt < 20; attempt++)
        {
            var delay = Policy.Delay(attempt);
            delay.Should().BeLessThanOrEqualTo(Policy.Ceiling(attempt)).And.BeGreaterThanOrEqualTo(Policy.Ceiling(attempt) / 2);
        }
    }

    [Fact]
    public void Delay_NoJitter_IsExactlyTheCeiling() =>
        new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), jitter: 0).Delay(3).Should().Be(TimeSpan.FromSeconds(4));

    [Theory]
    [InlineData(0, 1000, 0.5)]
    [InlineData(-1, 1000, 0.5)]
    [InlineData(100, 50, 0.5)]
    [InlineData(100, 1000, -0.1)]
    [InlineData(100, 1000, 1.1)]
    [InlineData(100, 1000, double.NaN)]
    public void Constructor_BadSettings_Refused(int initialMs, int maxMs, double jitter)
    {
        var act = () => new Backoff(TimeSpan.FromMilliseconds(initialMs), TimeSpan.FromMilliseconds(maxMs), jitter);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task WaitAsync_FakeTime_CompletesOnlyOnceTheDelayHasPassed()
    {
        var time = new FakeTimeProvider();
        var exact = new Backoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), jitter: 0);

        var wait = exact.WaitAsync(2, time, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(4) - TimeSpan.FromTicks(1));
        var earlyDone = wait.IsCompleted;
        time.Advance(TimeSpan.FromTicks(1));
        await wait.WaitAsync(TimeSpan.FromSeconds(5));

        earlyDone.Should().BeFalse("attempt 2 waits 2 s × 2 = 4 s");
        wait.IsCompletedSuccessfully.Should().BeTrue();
    }

    [Fact]
    public async Task WaitAsync_Cancelled_StopsWaiting()
    {
        var time = new FakeTimeProvider();
        using var cts = new CancellationTokenSource();

        var wait = Policy.WaitAsync(3, time, cts.Token);
        await cts.CancelAsync();

        await wait.Invoking(w => w.WaitAsync(TimeSpan.FromSeconds(5))).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void WaitAsync_AttemptZero_DoesNotWait() =>
        Policy.WaitAsync(0, new FakeTimeProvider(), CancellationToken.None).IsCompletedSuccessfully.Should().BeTrue();
}
