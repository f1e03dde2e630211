using System.Text;
using Cloud.Constructor.Enrollment;
using Cloud.Constructor.Tests.Support;
using Cloud.Shared.Coordination;
using Cloud.ZooKeeper;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Cloud.Constructor.Tests.Integration;

/// <summary>
/// Enrollment tokens against the real constructor process and a real ZooKeeper with a super user:
/// a host's credentials write its own nodes and no other host's; expired, wrong-role and unknown
/// tokens are refused and give nothing.
/// </summary>
[Trait("Category", "Integration")]
public sealed class EnrollmentTests(EnrollmentFixture fixture) : IClassFixture<EnrollmentFixture>
{
    [Fact]
    public async Task IssueToken_WithoutAdminKey_401AndNoTokenStored()
    {
        var before = await TokenIdsAsync();

        var (status, body) = await fixture.PostAsync(EnrollmentFixture.TokensPath, "{\"roles\":[\"runner\"],\"validity_seconds\":60}", apiKey: null);

        status.Should().Be(401, body.ToString());
        body.GetProperty("errors")[0].GetProperty("code").GetString().Should().Be("auth.unauthenticated");
        (await TokenIdsAsync()).Should().BeEquivalentTo(before);
    }

    [Theory]
    [InlineData("{\"roles\":[\"runner\",\"pilot\"],\"validity_seconds\":0}", "enrollment.role_unknown", "roles[1]", "enrollment.validity_invalid", "validity_seconds")]
    [InlineData("{\"roles\":[],\"validity_seconds\":31536001}", "enrollment.roles_missing", "roles", "enrollment.validity_invalid", "validity_seconds")]
    [InlineData("{\"roles\":[\"runner\"],\"colour\":1}", "request.unknown_field", "colour", null, null)]
    [InlineData("{\"roles\":\"runner\"}", "request.invalid_type", "roles", null, null)]
    public async Task IssueToken_BadBody_400WithEveryFieldErrorAndNoTokenStored(string json, string code, string field, string? secondCode, string? secondField)
    {
        var before = await TokenIdsAsync();

        var (status, body) = await fixture.PostAsync(EnrollmentFixture.TokensPath, json);

        status.Should().Be(400, body.ToString());
        var errors = body.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("code").GetString(), e.GetProperty("field").GetString())).ToList();
        errors.Should().Contain((code, field));
        if (secondCode is not null)
        {
            errors.Should().Contain((secondCode, secondField));
        }

        (await TokenIdsAsync()).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task IssueToken_Valid_201WithExpiryAndOnlyTheSecretsHashStored()
    {
        var (status, body) = await fixture.PostAsync(EnrollmentFixture.TokensPath, "{\"roles\":[\"runner\",\"allocator\",\"runner\"],\"validity_seconds\":120}");

        status.Should().Be(201, body.ToString());
        var token = body.GetProperty("token").GetString()!;
        body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("runner", "allocator");
        body.GetProperty("expires_at").GetDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow.AddSeconds(120), TimeSpan.FromSeconds(30));
        var tokenId = body.GetProperty("token_id").GetString()!;
        await using var super = fixture.ConnectAs(fixture.SuperUser.Digest);
        var stored = await (await EnrollmentFixture.ClientAsync(super)).GetDataAsync(EnrollmentPaths.Token(tokenId));
        Encoding.UTF8.GetString(stored.Data).Should().NotContain(token.Split('.')[1]);

        // Nobody but the constructor's identity may read the token records.
        await using var anonymous = fixture.ConnectAs(null);
        var read = async () => await (await EnrollmentFixture.ClientAsync(anonymous)).GetDataAsync(EnrollmentPaths.Token(tokenId));
        await read.Should().ThrowAsync<NoAuthException>();
    }

    [Fact]
    public async Task Enroll_TwoHosts_EachHostWritesOnlyItsOwnNodesAndReadsEverything()
    {
        var a = "host-a-" + Suffix();
        var b = "host-b-" + Suffix();
        var token = await fixture.IssueTokenAsync("runner,allocator");
        var credentialsA = await fixture.EnrollAsync(token, a, "runner,allocator");
        var credentialsB = await fixture.EnrollAsync(token, b, "runner,allocator");
        credentialsA.Should().StartWith(a + ":");
        await using var connectionA = fixture.ConnectAs(credentialsA);
        await using var connectionB = fixture.ConnectAs(credentialsB);
        await using var anonymous = fixture.ConnectAs(null);
        var hostA = await EnrollmentFixture.ClientAsync(connectionA);
        var hostB = await EnrollmentFixture.ClientAsync(connectionB);
        var nobody = await EnrollmentFixture.ClientAsync(anonymous);

        // Host B does what its runner and allocator do (same connection code, so the same ACLs).
        await hostB.CreateAsync(CloudPaths.Runner(b), Bytes("b-runner"), CreateMode.Ephemeral);
        await hostB.CreateAsync(CloudPaths.Allocator(b), Bytes("b-allocator"), CreateMode.Ephemeral);
        await hostB.CreateAsync(CloudPaths.InspectedContainer(b, "c1"), Bytes("b-inspect"));
        await hostB.CreateAsync(CloudPaths.Container(b, "c1"), Bytes("b-definition"));
        await hostB.SetDataAsync(CloudPaths.AllocatorMeta(b), Bytes("{}"));

        // Host A writes its own nodes.
        await hostA.CreateAsync(CloudPaths.Runner(a), Bytes("a-runner"), CreateMode.Ephemeral);
        await hostA.CreateAsync(CloudPaths.InspectedContainer(a, "c1"), Bytes("a-inspect"));
        await hostA.SetDataAsync(CloudPaths.InspectedContainer(a, "c1"), Bytes("a-inspect-2"));
        await hostA.CreateAsync(CloudPaths.Container(a, "c1"), Bytes("a-definition"));
        await hostA.DeleteAsync(CloudPaths.Container(a, "c1"));

        // ... and none of B's, nor can a client without credentials.
        foreach (var intruder in new[] { hostA, nobody })
        {
            await Refused(() => intruder.SetDataAsync(CloudPaths.Runner(b), Bytes("x")));
            await Refused(() => intruder.DeleteAsync(CloudPaths.Runner(b)));
            await Refused(() => intruder.SetDataAsync(CloudPaths.Allocator(b), Bytes("x")));
            await Refused(() => intruder.DeleteAsync(CloudPaths.Allocator(b)));
            await Refused(() => intruder.CreateAsync(CloudPaths.InspectedContainer(b, "forged"), Bytes("x")));
            await Refused(() => intruder.SetDataAsync(CloudPaths.InspectedContainer(b, "c1"), Bytes("x")));
            await Refused(() => intruder.DeleteAsync(CloudPaths.InspectedContainer(b, "c1")));
            await Refused(() => intruder.CreateAsync(CloudPaths.Container(b, "forged"), Bytes("x")));
            await Refused(() => intruder.SetDataAsync(CloudPaths.Container(b, "c1"), Bytes("x")));
            await Refused(() => intruder.DeleteAsync(CloudPaths.Container(b, "c1")));
            await Refused(() => intruder.SetDataAsync(CloudPaths.AllocatorMeta(b), Bytes("x")));
            await Refused(() => intruder.DeleteAsync(CloudPaths.InspectOf(b)));
        }

        // Everyone reads everything they must (the constructor, the proxy, the other hosts).
        (await nobody.GetDataAsync(CloudPaths.InspectedContainer(b, "c1"))).Data.Should().Equal(Bytes("b-inspect"));
        (await hostA.GetDataAsync(CloudPaths.Runner(b))).Data.Should().Equal(Bytes("b-runner"));
        (await hostA.GetDataAsync(CloudPaths.Container(b, "c1"))).Data.Should().Equal(Bytes("b-definition"));
        (await hostA.GetChildrenAsync(CloudPaths.Runners)).Children.Should().Contain([a, b]);

        // The constructor (super user) still changes anything.
        await using var super = fixture.ConnectAs(fixture.SuperUser.Digest);
        await (await EnrollmentFixture.ClientAsync(super)).SetDataAsync(CloudPaths.AllocatorMeta(b), Bytes("{\"maintenance_mode\":true}"));
    }

    [Fact]
    public async Task Enroll_Host_CannotChangeWhatOnlyTheConstructorWritesButDeletesItsOwnPurgeRequests()
    {
        var a = "host-pa-" + Suffix();
        var b = "host-pb-" + Suffix();
        var cluster = "c" + Suffix();
        var token = await fixture.IssueTokenAsync("runner,allocator");
        var credentialsA = await fixture.EnrollAsync(token, a, "runner,allocator");
        await fixture.EnrollAsync(token, b, "runner,allocator");

        // What the constructor writes, through the same connection code it runs with (so with its ACLs),
        // singly and in a multi as ClusterStore does.
        await using var super = fixture.ConnectAs(fixture.SuperUser.Digest);
        var constructor = await EnrollmentFixture.ClientAsync(super);
        await constructor.CreateRecursiveAsync(CloudPaths.WorkOf(b), null);
        await constructor.CreateAsync(CloudPaths.Assignment(b, "i1"), Bytes("{}"));
        await constructor.CreateRecursiveAsync(CloudPaths.WorkOf(a), null);
        await constructor.CreateRecursiveAsync(CloudPaths.Clusters, null);
        await constructor.MultiAsync([Op.Create(CloudPaths.Cluster(cluster), Bytes("{}")), Op.Create(CloudPaths.ClusterPlan(cluster), Bytes("{}"))]);
        await constructor.CreateRecursiveAsync(CloudPaths.RoutingOf(cluster), null);
        await constructor.CreateRecursiveAsync(CloudPaths.Override(cluster, "o1"), null);
        await constructor.CreateAsync(CloudPaths.Purge(a, cluster), Bytes("{}"));
        await constructor.CreateAsync(CloudPaths.Purge(b, cluster), Bytes("{}"));

        await using var connectionA = fixture.ConnectAs(credentialsA);
        await using var anonymous = fixture.ConnectAs(null);
        var hostA = await EnrollmentFixture.ClientAsync(connectionA);
        var nobody = await EnrollmentFixture.ClientAsync(anonymous);
        foreach (var intruder in new[] { hostA, nobody })
        {
            await Refused(() => intruder.SetDataAsync(CloudPaths.Assignment(b, "i1"), Bytes("x")));
            await Refused(() => intruder.DeleteAsync(CloudPaths.Assignment(b, "i1")));
            await Refused(() => intruder.CreateAsync(CloudPaths.Assignment(a, "self-assigned"), Bytes("x")));
            await Refused(() => intruder.CreateAsync(CloudPaths.WorkOf("host-new-" + Suffix()), Bytes("x")));
            await Refused(() => intruder.SetDataAsync(CloudPaths.Cluster(cluster), Bytes("x")));
            await Refused(() => intruder.SetDataAsync(CloudPaths.ClusterPlan(cluster), Bytes("x")));
            await Refused(() => intruder.CreateAsync(CloudPaths.Cluster("forged-" + Suffix()), Bytes("x")));
            await Refused(() => intruder.SetDataAsync(CloudPaths.RoutingOf(cluster), Bytes("x")));
            await Refused(() => intruder.DeleteAsync(CloudPaths.RoutingOf(cluster)));
            await Refused(() => intruder.CreateAsync(CloudPaths.Override(cluster, "forged"), Bytes("x")));
            await Refused(() => intruder.SetDataAsync(CloudPaths.Override(cluster, "o1"), Bytes("x")));
            await Refused(() => intruder.CreateAsync(CloudPaths.ConstructorLeader + "/forged", Bytes("x")));
            await Refused(() => intruder.DeleteAsync(CloudPaths.Purge(b, cluster)));
            await Refused(() => intruder.CreateAsync(CloudPaths.Purge(b, "forged"), Bytes("x")));
        }

        (await hostA.GetDataAsync(CloudPaths.Assignment(b, "i1"))).Data.Should().Equal(Bytes("{}"));
        (await nobody.GetChildrenAsync(CloudPaths.Routing)).Children.Should().Contain(cluster);

        // An allocator deletes the purge requests addressed to it once its data is gone.
        await hostA.DeleteAsync(CloudPaths.Purge(a, cluster));
        (await constructor.ExistsAsync(CloudPaths.Purge(a, cluster))).Should().BeNull();
    }

    [Fact]
    public async Task PlatformAclGuard_NodesLeftOpenBeforeIdentities_AreTakenOverAndHostNodesKeepTheirAcl()
    {
        var cluster = "c" + Suffix();
        var host = "host-g-" + Suffix();
        var token = await fixture.IssueTokenAsync("allocator");
        await fixture.EnrollAsync(token, host, "allocator");
        await using var super = fixture.ConnectAs(fixture.SuperUser.Digest);
        var constructor = await EnrollmentFixture.ClientAsync(super);

        // As an earlier install without identities left them: open to everyone.
        await constructor.CreateAsync(CloudPaths.RoutingOf(cluster), Bytes("{}"), CreateMode.Persistent, Acl.OpenUnsafe);
        await constructor.CreateRecursiveAsync(CloudPaths.OverridesOf(cluster), null);
        await constructor.CreateAsync(CloudPaths.Override(cluster, "o1"), Bytes("{}"), CreateMode.Persistent, Acl.OpenUnsafe);
        var purgesOfHost = await constructor.GetAclAsync(CloudPaths.PurgesOf(host));

        var guard = new PlatformAclGuard(
            super,
            Options.Create(new Cloud.Shared.Hosting.ZooKeeperOptions { ConnectString = fixture.ZooKeeper.ConnectString, Digest = fixture.SuperUser.Digest }),
            TimeProvider.System,
            NullLogger<PlatformAclGuard>.Instance);
        await guard.StartAsync(CancellationToken.None);
        await guard.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(60));

        await using var anonymous = fixture.ConnectAs(null);
        var nobody = await EnrollmentFixture.ClientAsync(anonymous);
        await Refused(() => nobody.SetDataAsync(CloudPaths.RoutingOf(cluster), Bytes("x")));
        await Refused(() => nobody.SetDataAsync(CloudPaths.Override(cluster, "o1"), Bytes("x")));
        (await nobody.GetDataAsync(CloudPaths.RoutingOf(cluster))).Data.Should().Equal(Bytes("{}"));
        (await constructor.GetAclAsync(CloudPaths.PurgesOf(host))).Should().Equal(purgesOfHost);
        await constructor.SetDataAsync(CloudPaths.RoutingOf(cluster), Bytes("{\"v\":2}"));
    }

    [Fact]
    public async Task Enroll_AgainForTheSameHost_OldCredentialsStopWorkingAndTheNewOnesTakeOverItsNodes()
    {
        var host = "host-re-" + Suffix();
        var token = await fixture.IssueTokenAsync("runner");
        var first = await fixture.EnrollAsync(token, host, "runner");
        await using (var firstConnection = fixture.ConnectAs(first))
        {
            await (await EnrollmentFixture.ClientAsync(firstConnection)).CreateAsync(CloudPaths.InspectedContainer(host, "c1"), Bytes("1"));
        }

        var second = await fixture.EnrollAsync(token, host, "runner");
        await using var stale = fixture.ConnectAs(first);
        await using var current = fixture.ConnectAs(second);

        await Refused(async () => await (await EnrollmentFixture.ClientAsync(stale)).SetDataAsync(CloudPaths.InspectedContainer(host, "c1"), Bytes("2")));
        await (await EnrollmentFixture.ClientAsync(current)).SetDataAsync(CloudPaths.InspectedContainer(host, "c1"), Bytes("3"));
        second.Should().NotBe(first);
    }

    [Fact]
    public async Task Enroll_RoleTheTokenDoesNotAllow_403AndTheHostGetsNoNodes()
    {
        var host = "host-role-" + Suffix();
        var token = await fixture.IssueTokenAsync("runner");

        var (status, body) = await fixture.PostAsync(EnrollmentFixture.EnrollPath, EnrollmentFixture.EnrollBody(token, host, "runner,allocator"), apiKey: null);

        status.Should().Be(403, body.ToString());
        var error = body.GetProperty("errors")[0];
        error.GetProperty("code").GetString().Should().Be("enrollment.role_not_allowed");
        error.GetProperty("field").GetString().Should().Be("roles");
        body.ToString().Should().NotContain("zookeeper_digest");
        await using var super = fixture.ConnectAs(fixture.SuperUser.Digest);
        var client = await EnrollmentFixture.ClientAsync(super);
        (await client.ExistsAsync(CloudPaths.ContainersOf(host))).Should().BeNull();
        (await client.ExistsAsync(CloudPaths.InspectOf(host))).Should().BeNull();
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Enroll_UnknownOrMalformedToken_401(string token)
    {
        var (status, body) = await fixture.PostAsync(EnrollmentFixture.EnrollPath, EnrollmentFixture.EnrollBody(token, "host-x-" + Suffix(), "runner"), apiKey: null);

        status.Should().Be(401, body.ToString());
        body.GetProperty("errors")[0].GetProperty("code").GetString().Should().Be("enrollment.token_invalid");
    }

    [Fact]
    public async Task Enroll_RightIdWrongSecret_401()
    {
        var token = await fixture.IssueTokenAsync("runner");
        var forged = token.Split('.')[0] + "." + new string('A', 43);

        var (status, body) = await fixture.PostAsync(EnrollmentFixture.EnrollPath, EnrollmentFixture.EnrollBody(forged, "host-f-" + Suffix(), "runner"), apiKey: null);

        status.Should().Be(401, body.ToString());
        body.GetProperty("errors")[0].GetProperty("code").GetString().Should().Be("enrollment.token_invalid");
    }

    [Fact]
    public async Task Enroll_BadBody_400WithFieldErrors()
    {
        var (status, body) = await fixture.PostAsync(EnrollmentFixture.EnrollPath, "{\"token\":\"\",\"host_id\":\"Bad/Host\",\"roles\":[\"pilot\"]}", apiKey: null);

        status.Should().Be(400, body.ToString());
        body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).Should().BeEquivalentTo(["token", "host_id", "roles[0]"]);
    }

    [Fact]
    public async Task Enroll_ExpiredToken_RefusedThoughTheSameTokenWorkedBeforeItsExpiry()
    {
        // The service itself on a fake clock, against the same real ZooKeeper, so expiry needs no waiting. Only the
        // service's clock is fake: a ZooKeeper session on it took the 59 s jump for 59 s without a ping and dropped
        // its connection under the next request.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var super = fixture.ConnectAs(fixture.SuperUser.Digest);
        var service = new EnrollmentService(
            super,
            Options.Create(new Cloud.Shared.Hosting.ZooKeeperOptions { ConnectString = fixture.ZooKeeper.ConnectString, Digest = fixture.SuperUser.Digest }),
            time,
            NullLogger<EnrollmentService>.Instance);
        var issued = (await service.IssueAsync(new EnrollmentTokenRequest { Roles = ["runner"], ValiditySeconds = 60 }, CancellationToken.None)).Value!;

        time.Advance(TimeSpan.FromSeconds(59));
        var before = await service.EnrollAsync(new HostEnrollmentRequest { Token = issued.Token, HostId = "host-early-" + Suffix(), Roles = ["runner"] }, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        var lateHost = "host-late-" + Suffix();
        var after = await service.EnrollAsync(new HostEnrollmentRequest { Token = issued.Token, HostId = lateHost, Roles = ["runner"] }, CancellationToken.None);

        before.Value.Should().NotBeNull();
        after.Value.Should().BeNull();
        after.Refusal!.Status.Should().Be(401);
        after.Refusal.Error.Code.Should().Be("enrollment.token_expired");
        after.Refusal.Error.Field.Should().Be("token");
        (await (await EnrollmentFixture.ClientAsync(super)).ExistsAsync(CloudPaths.InspectOf(lateHost))).Should().BeNull();
    }

    private static async Task Refused(Func<Task> write)
    {
        await write.Should().ThrowAsync<NoAuthException>();
    }

    private async Task<IReadOnlyList<string>> TokenIdsAsync()
    {
        await using var super = fixture.ConnectAs(fixture.SuperUser.Digest);
        var client = await EnrollmentFixture.ClientAsync(super);
        return await client.ExistsAsync(EnrollmentPaths.Tokens) is null ? [] : (await client.GetChildrenAsync(EnrollmentPaths.Tokens)).Children;
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Suffix() => Guid.NewGuid().ToString("N")[..8];
}
