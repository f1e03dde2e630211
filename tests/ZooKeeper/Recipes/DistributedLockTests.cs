using Cloud.ZooKeeper.Recipes;
using FluentAssertions;

namespace Cloud.ZooKeeper.Tests.Recipes;

[Collection(ZooKeeperCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DistributedLockTests(ZooKeeperServerFixture zk)
{
    [Fact]
    public async Task AcquireAsync_ManyContendersInTwoSessions_MutuallyExclusive()
    {
        await using var first = await zk.ConnectAsync();
        await using var second = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot() + "/lock";
        var inside = 0;
        var violations = 0;
        var entries = 0;

        async Task WorkAsync(ZooKeeperClient client)
        {
            await using (await new DistributedLock(client, path).AcquireAsync())
            {
                var now = Interlocked.Increment(ref inside);
                if (now != 1)
                {
                    Interlocked.Increment(ref violations);
                }

                await Task.Delay(10);
                Interlocked.Increment(ref entries);
                Interlocked.Decrement(ref inside);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => WorkAsync(i % 2 == 0 ? first : second))).WaitAsync(TimeSpan.FromSeconds(30));

        violations.Should().Be(0, "never two holders inside the lock at once");
        entries.Should().Be(20);
        (await first.GetChildrenAsync(path)).Children.Should().BeEmpty();
    }

    [Fact]
    public async Task AcquireAsync_HolderSessionEnds_NextAcquires()
    {
        var holder = await zk.ConnectAsync();
        await using var waiter = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot() + "/lock";
        await new DistributedLock(holder, path).AcquireAsync();
        var pending = new DistributedLock(waiter, path).AcquireAsync();
        await Task.Delay(200);
        pending.IsCompleted.Should().BeFalse();

        await holder.DisposeAsync();

        await using var handle = await pending.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Held_NodeDeletedFromOutside_LostIsSignalled()
    {
        await using var holder = await zk.ConnectAsync();
        await using var admin = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot() + "/lock";
        await using var held = await new DistributedLock(holder, path).AcquireAsync();
        held.IsLost.Should().BeFalse();

        foreach (var child in (await admin.GetChildrenAsync(path)).Children)
        {
            await admin.DeleteAsync(path + "/" + child);
        }

        (await Eventually.TrueAsync(() => held.IsLost, TimeSpan.FromSeconds(10))).Should().BeTrue("a holder whose lock node is gone must know it no longer holds the lock");
    }
}
