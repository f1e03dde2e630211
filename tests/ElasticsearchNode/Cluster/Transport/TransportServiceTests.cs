using Cloud.ElasticsearchNode.Cluster.Transport;
using Cloud.Testing;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Cluster.Transport;

public sealed class TransportServiceTests
{
    private sealed record Ping(string Text);

    [Fact]
    public async Task SendAsync_SameCluster_AnswersAndReportsRemoteErrorsByType()
    {
        await using var server = Start("c", "uuid-1");
        await using var client = Start("c", "uuid-1");
        server.Register<Ping, Ping>("test:echo", (p, _) => Task.FromResult(new Ping(p.Text + "!")));
        server.Register<Ping, Ping>("test:fail", (_, _) => throw new Cloud.ElasticsearchNode.Cluster.ClusterException("index_not_found_exception", "no such index [x]", 404));

        var answer = await client.SendAsync<Ping, Ping>(Address(server), "test:echo", new Ping("hi"), null, CancellationToken.None);
        var failure = () => client.SendAsync<Ping, Ping>(Address(server), "test:fail", new Ping("hi"), null, CancellationToken.None);

        answer.Text.Should().Be("hi!");
        (await failure.Should().ThrowAsync<TransportException>()).Which.Type.Should().Be("index_not_found_exception");
    }

    [Theory]
    [InlineData("other", "uuid-1", "cluster [other]")]
    [InlineData("c", "uuid-2", "cluster uuid [uuid-2]")]
    public async Task SendAsync_OtherCluster_IsRefusedAtTheHandshake(string clusterName, string uuid, string reason)
    {
        await using var server = Start("c", "uuid-1");
        await using var stranger = Start(clusterName, uuid);
        server.Register<Ping, Ping>("test:echo", (p, _) => Task.FromResult(p));

        var act = () => stranger.SendAsync<Ping, Ping>(Address(server), "test:echo", new Ping("hi"), null, CancellationToken.None);

        (await act.Should().ThrowAsync<TransportException>()).Which.Message.Should().Contain(reason);
    }

    [Fact]
    public async Task SendAsync_SlowHandler_TimesOutWithoutBreakingTheConnection()
    {
        await using var server = Start("c", null);
        await using var client = Start("c", null);
        var release = new TaskCompletionSource();
        server.Register<Ping, Ping>("test:slow", async (p, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return p;
        });
        server.Register<Ping, Ping>("test:echo", (p, _) => Task.FromResult(p));

        var slow = () => client.SendAsync<Ping, Ping>(Address(server), "test:slow", new Ping("a"), TimeSpan.FromMilliseconds(200), CancellationToken.None);

        (await slow.Should().ThrowAsync<TransportException>()).Which.Type.Should().Be("receive_timeout_transport_exception");
        (await client.SendAsync<Ping, Ping>(Address(server), "test:echo", new Ping("b"), null, CancellationToken.None)).Text.Should().Be("b");
        release.SetResult();
    }

    [Fact]
    public async Task SendForAttachmentAsync_RawBytesBesideTheAnswer_ArriveIntactAmongConcurrentRequests()
    {
        await using var server = Start("c", null);
        await using var client = Start("c", null);
        var data = new byte[5 * 1024 * 1024 + 3];
        new Random(42).NextBytes(data);
        server.RegisterWithAttachment<Ping, Ping>("test:chunk", (p, _) =>
        {
            var length = int.Parse(p.Text, System.Globalization.CultureInfo.InvariantCulture);
            var attachment = TransportAttachment.Rent(length);
            data.AsSpan(0, length).CopyTo(attachment.Memory.Span);
            return Task.FromResult<(Ping, TransportAttachment?)>((new Ping("sent " + length), attachment));
        });
        server.Register<Ping, Ping>("test:echo", (p, _) => Task.FromResult(p));

        var chunks = Enumerable.Range(0, 6).Select(i => client.SendForAttachmentAsync<Ping, Ping>(Address(server), "test:chunk",
            new Ping((data.Length - i).ToString(System.Globalization.CultureInfo.InvariantCulture)), null, CancellationToken.None)).ToList();
        var echoes = Enumerable.Range(0, 50).Select(i => client.SendAsync<Ping, Ping>(Address(server), "test:echo", new Ping("e" + i), null, CancellationToken.None)).ToList();
        var empty = await client.SendForAttachmentAsync<Ping, Ping>(Address(server), "test:chunk", new Ping("0"), null, CancellationToken.None);

        for (var i = 0; i < chunks.Count; i++)
        {
            var (answer, attachment) = await chunks[i];
            using (attachment)
            {
                answer.Text.Should().Be("sent " + (data.Length - i));
                attachment!.Memory.Span.SequenceEqual(data.AsSpan(0, data.Length - i)).Should().BeTrue($"chunk {i} arrives byte for byte");
            }
        }

        (await Task.WhenAll(echoes)).Select(e => e.Text).Should().Equal(Enumerable.Range(0, 50).Select(i => "e" + i));
        empty.Response.Text.Should().Be("sent 0");
        empty.Attachment.Should().BeNull("an empty attachment is not sent");
    }

    [Fact]
    public async Task SendAsync_NobodyListening_FailsAsAConnectFailure()
    {
        await using var client = Start("c", null);

        var act = () => client.SendAsync<Ping, Ping>("127.0.0.1:" + FreePorts.Next(), "test:echo", new Ping("a"), null, CancellationToken.None);

        (await act.Should().ThrowAsync<TransportException>()).Which.IsDisconnect.Should().BeTrue();
    }

    private static string Address(TransportService service) => "127.0.0.1:" + service.BoundPort;

    private static TransportService Start(string cluster, string? uuid)
    {
        var service = new TransportService(new TransportOptions { BindHost = "127.0.0.1", Port = 0 },
            () => new TransportHandshake(cluster, uuid, "node-" + cluster + uuid, "node"), NullLogger.Instance);
        service.Start();
        return service;
    }
}
