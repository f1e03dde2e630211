using System.Collections.Concurrent;
using System.Text;
using Cloud.Proxy.Feed;
using Cloud.Proxy.Tests.Integration;
using Cloud.Testing;
using Cloud.ZooKeeper;
using Cloud.ZooKeeper.Tests.Session;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Cloud.Proxy.Tests.Feed;

/// <summary>
/// The proxy's ZooKeeper feed: one persistent recursive watch per root, each event applied on its own, a full
/// re-read after a reconnect or a new session that reports only real differences, nothing removed while cut off.
/// Against the real ZooKeeper server, cut off from the follower's client by a TCP proxy.
/// </summary>
[Collection(ProxyIntegrationCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SubtreeFollowerTests(ProxyFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static string UniqueRoot() => $"/follower-{Guid.NewGuid():N}"[..22];

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task NodeEvents_AtFollowedDepth_EachReportedWithItsParent()
    {
        var root = UniqueRoot();
        var writer = fixture.Client;
        await writer.CreateRecursiveAsync(root + "/c1/i0", Bytes("a"));
        var changes = new ConcurrentQueue<FollowedChange>();
        await using var follower = new SubtreeFollower(writer, root, depth: 2, NullLogger.Instance);
        follower.Changed += batch => Array.ForEach([.. batch], changes.Enqueue);
        await follower.StartAsync(CancellationToken.None);
        var first = changes.Should().ContainSingle().Subject;
        (first.Path, first.Parent, first.Name, Encoding.UTF8.GetString(first.Data!)).Should().Be((root + "/c1/i0", "c1", "i0", "a"));

        await writer.CreateRecursiveAsync(root + "/c2/i1", Bytes("b"));
        await writer.SetDataAsync(root + "/c1/i0", Bytes("a2"));
        await writer.DeleteAsync(root + "/c1/i0");
        await writer.DeleteAsync(root + "/c1");

        await Eventually.AssertAsync(() => Task.FromResult(changes.Any(c => c.Name == "i0" && c.Data is null)), Wait, "the deletion reported");
        changes.Select(c => c.Parent + "/" + c.Name).Should().OnlyContain(p => p == "c1/i0" || p == "c2/i1", "the cluster nodes themselves are not followed");
        changes.Should().Contain(c => c.Name == "i1" && Encoding.UTF8.GetString(c.Data!) == "b");
        follower.Count.Should().Be(1);
        follower.Resyncs.Should().Be(0, "events alone kept it current");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CutOff_NothingRemovedMeanwhile_OnlyRealDifferencesReportedOnceBack(bool sessionExpires)
    {
        var root = UniqueRoot();
        var writer = fixture.Client;
        foreach (var name in new[] { "kept", "changed", "deleted" })
        {
            await writer.CreateRecursiveAsync($"{root}/c1/{name}", Bytes(name));
        }

        await using var cut = new TcpProxy(fixture.Server.Port);
        var timeout = sessionExpires ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(30);
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = cut.ConnectString, SessionTimeout = timeout });
        var states = new ConcurrentQueue<ConnectionStateChange>();
        client.ConnectionStateChanged += states.Enqueue;
        var changes = new ConcurrentQueue<FollowedChange>();
        await using var follower = new SubtreeFollower(client, root, depth: 2, NullLogger.Instance);
        await follower.StartAsync(CancellationToken.None);
        follower.Changed += batch => Array.ForEach([.. batch], changes.Enqueue);

        cut.Pause();
        var lost = sessionExpires ? ConnectionState.Expired : ConnectionState.Disconnected;
        await Eventually.AssertAsync(() => Task.FromResult(states.Any(s => s.State == lost)), Wait, $"the follower's client to be {lost}");
        await writer.SetDataAsync(root + "/c1/changed", Bytes("changed-2"));
        await writer.DeleteAsync(root + "/c1/deleted");
        await writer.CreateAsync(root + "/c1/created", Bytes("created"));
        changes.Should().BeEmpty("nothing is reported while cut off");
        follower.Count.Should().Be(3);

        cut.Resume();
        await Eventually.AssertAsync(() => Task.FromResult(changes.Count >= 3), Wait, "the differences reported after the re-read");
        changes.Select(c => (c.Name, c.Data is null ? null : Encoding.UTF8.GetString(c.Data)))
            .Should().BeEquivalentTo(new (string, string?)[] { ("changed", "changed-2"), ("deleted", null), ("created", "created") }, "only what really changed");
        follower.Resyncs.Should().BeGreaterThanOrEqualTo(1);
        states.Should().Contain(s => s.State == ConnectionState.Connected && s.IsNewSession == sessionExpires);

        await writer.SetDataAsync(root + "/c1/kept", Bytes("kept-2"));
        await Eventually.AssertAsync(() => Task.FromResult(changes.Any(c => c.Name == "kept")), Wait, "events followed again after the cut (the watch set again in a new session)");
    }
}
