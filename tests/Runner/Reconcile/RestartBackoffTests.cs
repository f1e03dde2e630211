using Cloud.Runner.Reconcile;
using FluentAssertions;
using Xunit;

namespace Cloud.Runner.Tests.Reconcile;

public sealed class RestartBackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 16)]
    [InlineData(6, 30)]
    [InlineData(60, 30)]
    public void Delay_NoJitterSpread_DoublesUpToTheCap(int attempt, int expectedSeconds)
    {
        RestartBackoff.Delay(attempt, Initial, Max, jitter: 0.5).Should().Be(TimeSpan.FromSeconds(expectedSeconds));
    }

    [Fact]
    public void Delay_Jitter_StaysWithinTwentyPercent()
    {
        RestartBackoff.Delay(3, Initial, Max, jitter: 0).Should().Be(TimeSpan.FromSeconds(3.2));
        RestartBackoff.Delay(3, Initial, Max, jitter: 0.999999).Should().BeCloseTo(TimeSpan.FromSeconds(4.8), TimeSpan.FromMilliseconds(1));
    }
}
