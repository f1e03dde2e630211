using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Cloud.Runner.Docker;
using Cloud.Shared.Containers;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.Runner.Tests.Integration;

[Collection(RunnerIntegrationCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RunnerIntegrationTests(ZooKeeperFixture zk)
{
    // A deadline on one observed step, not a pause: node containers start slowly when the 2 cores are
    // shared (a crash-looping one dies only after its start-up, each run), and the polite container's own
    // grace period is 30 s, so the wait for its removal must be able to outlast that to measure it.
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Reconcile_NewDefinition_ContainerRunsAsDefinedAndIsPublished()
    {
        await using var host = new RunnerTestHost(zk.Client);
        var name = host.ContainerName("es-1");
        var port = FreePorts.Next();
        var spec = host.Elasticsearch(name, port) with
        {
            Healthcheck = new HealthcheckSpec { Test = ["CMD", "/app/no-such-probe"], Interval = 500_000_000, Timeout = 500_000_000, Retries = 1 },
            StopSignal = "SIGTERM",
        };
        await host.WriteAsync(name, spec);
        await using var runner = await RunnerHost.StartAsync(host.HostId, host.DataRoot, zk.Server.ConnectString);

        var observation = await host.WaitForStateAsync(name, ContainerStates.Running, Converge, o => o.Health == "unhealthy");

        observation.DefinitionHash.Should().Be(ContainerSpecJson.Hash(spec));
        observation.Ports.Should().Contain("9200/tcp", port);
        observation.StartedAt.Should().NotBeNull();
        observation.ContainerId.Should().NotBeNullOrEmpty();
        observation.Error.Should().BeNull();
        var raw = await zk.Client.GetDataAsync(CloudPaths.InspectedContainer(host.HostId, name), null, CancellationToken.None);
        using (var published = System.Text.Json.JsonDocument.Parse(raw.Data))
        {
            published.RootElement.EnumerateObject().Select(p => p.Name).Should().Contain(
                ["state", "health", "started_at", "exit_code", "restart_count", "definition_hash", "error"], "the inspect record's contract keys are always present");
        }
        var inspected = await RunnerTestHost.DockerInspectAsync(name,
            "{{index .Config.Labels \"cloud.runner.host\"}}|{{index .Config.Labels \"cloud.runner.definition-hash\"}}|{{index .Config.Labels \"cloud.test\"}}|{{.HostConfig.Memory}}|{{.HostConfig.CpuShares}}|{{.Config.StopSignal}}|{{.Config.StopTimeout}}|{{.HostConfig.RestartPolicy.Name}}|{{range .Mounts}}{{.Source}}{{end}}");
        inspected.Should().Be($"{host.HostId}|{observation.DefinitionHash}|runner|{256L * 1024 * 1024}|256|SIGTERM|2|unless-stopped|{host.DataRoot}/{name}/data");
        Directory.Exists($"{host.DataRoot}/{name}/data").Should().BeTrue();

        using var http = new HttpClient();
        var root = await Eventually.GetAsync(
            async () => await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{port}/"),
            Converge, "the node to answer on its published port");
        root.GetProperty("name").GetString().Should().Be(name);

        var liveness = await zk.Client.GetDataAsync(CloudPaths.Runner(host.HostId), null, CancellationToken.None);
        var registration = CloudJson.Deserialize<RunnerRegistration>(liveness.Data);
        registration.HostId.Should().Be(host.HostId);
        registration.DockerVersion.Should().NotBeNullOrEmpty();
        registration.Cpus.Should().BeGreaterThan(0);
        registration.Images.Should().NotBeNull().And.Contain(RunnerTestHost.Image, "allocators refuse assignments whose image the host does not have");
        liveness.Stat.EphemeralOwner.Should().NotBe(0);
    }

    [Fact]
    public async Task Reconcile_DefinitionChangedUnderRunningContainer_Recreated()
    {
        await using var host = new RunnerTestHost(zk.Client);
        var name = host.ContainerName("es-1");
        var port = FreePorts.Next();
        await host.WriteAsync(name, host.Elasticsearch(name, port));
        await using var runner = await RunnerHost.StartAsync(host.HostId, host.DataRoot, zk.Server.ConnectString);
        var before = await host.WaitForStateAsync(name, ContainerStates.Running, Converge);

        var changed = host.Elasticsearch(name, port) with { Env = [$"node.name={name}", "cluster.name=changed"] };
        await host.WriteAsync(name, changed);
        var after = await host.WaitForStateAsync(name, ContainerStates.Running, Converge, o => o.DefinitionHash == ContainerSpecJson.Hash(changed));

        after.ContainerId.Should().NotBe(before.ContainerId);
        (await host.DockerContainersAsync()).Should().ContainSingle().Which.Value.Should().StartWith(after.ContainerId![..12]);
        (await RunnerTestHost.DockerInspectAsync(name, "{{range .Config.Env}}{{.}};{{end}}")).Should().Contain("cluster.name=changed");
    }

    [Fact]
    public async Task Reconcile_DefinitionChangedToMissingImage_RunningContainerKeptAndErrorPublished()
    {
        await using var host = new RunnerTestHost(zk.Client);
        var name = host.ContainerName("es-1");
        var port = FreePorts.Next();
        await host.WriteAsync(name, host.Elasticsearch(name, port));
        await using var runner = await RunnerHost.StartAsync(host.HostId, host.DataRoot, zk.Server.ConnectString);
        var before = await host.WaitForStateAsync(name, ContainerStates.Running, Converge);

        await host.WriteAsync(name, host.Elasticsearch(name, port) with { Image = "cloud/elasticsearch:0.0.0-not-built" });
        var after = await host.WaitForStateAsync(name, ContainerStates.Running, Converge, o => o.Error is not null);

        after.Error.Should().Contain("cloud/elasticsearch:0.0.0-not-built is not present on this host");
        after.ContainerId.Should().Be(before.ContainerId, "stopping a node for a definition that cannot start would leave nothing running");
        (await RunnerTestHost.DockerInspectAsync(name, "{{.State.Status}} {{.Id}}")).Should().Be($"running {before.ContainerId}");
    }

    [Fact]
    public async Task Reconcile_DefinitionDeleted_ContainerStoppedRemovedAndInspectDeleted()
    {
        await using var host = new RunnerTestHost(zk.Client);
        var keep = host.ContainerName("keep");
        var gone = host.ContainerName("gone");
        await host.WriteAsync(keep, host.Elasticsearch(keep, FreePorts.Next()));
        await host.WriteAsync(gone, host.Elasticsearch(gone, FreePorts.Next()));
        await using var runner = await RunnerHost.StartAsync(host.HostId, host.DataRoot, zk.Server.ConnectString);
        var kept = await host.WaitForStateAsync(keep, ContainerStates.Running, Converge);
        await host.WaitForStateAsync(gone, ContainerStates.Running, Converge);

        await host.DeleteAsync(gone);

        await Eventually.AssertAsync(async () => !(await host.DockerContainersAsync()).ContainsKey(gone), Converge, "the container to be removed");
        await Eventually.AssertAsync(async () => await host.InspectAsync(gone) is null, Converge, "its inspect node to be deleted");
        (await host.InspectAsync(keep))!.ContainerId.Should().Be(kept.ContainerId);
        Directory.Exists($"{host.DataRoot}/{gone}/data").Should().BeTrue("data outlives its container");
    }

    [Fact]
    public async Task Remove_ContainerIgnoresStopSignal_KilledAfterGracePeriod()
    {
        await using var host = new RunnerTestHost(zk.Client);
        var stubborn = host.ContainerName("stubborn");
        var polite = host.ContainerName("polite");
        await host.WriteAsync(stubborn, host.Elasticsearch(stubborn, FreePorts.Next(), stopSignal: "SIGWINCH", stopTimeout: 3));
        await host.WriteAsync(polite, host.Elasticsearch(polite, FreePorts.Next(), stopSignal: null, stopTimeout: 30));
        await using var runner = await RunnerHost.StartAsync(host.HostId, host.DataRoot, zk.Server.ConnectString);
        await host.WaitForStateAsync(stubborn, ContainerStates.Running, Converge);
        await host.WaitForStateAsync(polite, ContainerStates.Running, Converge);
        var since = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        var clock = Stopwatch.StartNew();
        await host.DeleteAsync(stubborn);
        await Eventually.AssertAsync(async () => !(await host.DockerContainersAsync()).ContainsKey(stubborn), Converge, "the stubborn container to be removed");
        var stubbornTook = clock.Elapsed;
        clock.Restart();
        await host.DeleteAsync(polite);
        await Eventually.AssertAsync(async () => !(await host.DockerContainersAsync()).ContainsKey(polite), Converge, "the polite container to be removed");
        var politeTook = clock.Elapsed;

        stubbornTook.Should().BeGreaterThan(TimeSpan.FromSeconds(2.5), "SIGWINCH is ignored, so Docker waits the 3 s grace period before killing");
        politeTook.Should().BeLessThan(TimeSpan.FromSeconds(15), "SIGTERM stops the node long before its 30 s grace period");
        var until = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1).ToString(CultureInfo.InvariantCulture);
        (await DieExitCodeAsync(stubborn, since, until)).Should().Be("137");
        (await DieExitCodeAsync(polite, since, until)).Should().NotBe("137");
    }

    [Fact]
    public async Task Restart_ContainerCrashesWhileRunnerIsDown_DockerRestartsItAndTheCountIsPublished()
    {
        await using var host = new RunnerTestHost(zk.Client);
        var name = host.ContainerName("es-1");
        await host.WriteAsync(name, host.Elasticsearch(name, FreePorts.Next(), restartPolicy: RestartPolicySpec.Always));
        ContainerObservation before;
        await using (var runner = await RunnerHost.StartAsync(host.HostId, host.DataRoot, zk.Server.ConnectString))
        {
            before = await host.WaitForStateAsync(name, ContainerStates.Running, Converge);
        }

        // A crash, not an operator's `docker kill` (which Docker takes as a manual stop): kill the process from the host.
        var pid = (await RunnerTestHost.DockerInspectAsync(name, "{{.State.Pid}}")).Trim();
        using (var process = Process.GetProcessById(int.Parse(pid, CultureInfo.InvariantCulture)))
        {
            process.Kill();
        }

        // Docker's restart policy is the one owner of restarts: with no runner at all, the container comes back.
        await Eventually.AssertAsync(
            async () => await RunnerTestHost.DockerInspectAsync(name, "{{.State.Status}} {{.RestartCount}}") == "running 1",
            Converge, "Docker to restart the crashed container");
        await using var again = await RunnerHost.StartAsync(host.HostId, host.DataRoot, zk.Server.ConnectString);
        var after = await host.WaitForStateAsync(name, ContainerStates.Running, Converge, o => o.RestartCount == 1);
        after.ContainerId.Should().Be(before.ContainerId, "a crashed container is restarted, not recreated");
        after.StartedAt.Should().BeAfter(before.StartedAt!.Value);
    }

    [Fact]
    public async Task Reconcile_ContainerStoppedByOperator_LeftExitedAsDockerDecided()
    {
        await using var host = new RunnerTestHost(zk.Client);
        var name = host.ContainerName("es-1");
        await host.WriteAsync(name, host.Elasticsearch(name, FreePorts.Next(), restartPolicy: RestartPolicySpec.Always));
        await using var runner = await RunnerHost.StartAsync(host.HostId, host.DataRoot, zk.Server.ConnectString);
        var before = await host.WaitForStateAsync(name, ContainerStates.Running, Converge);

        await DockerEngine.CliAsync("kill", name);
        var exited = await host.WaitForStateAsync(name, ContainerStates.Exited, Converge);
        var passes = runner.Service.Passes;
        await Eventually.AssertAsync(() => Task.FromResult(runner.Service.Passes >= passes + 3), Converge, "three more passes");

        var later = await host.InspectAsync(name);
        later!.State.Should().Be(ContainerStates.Exited, "Docker treats `docker kill` as a manual stop, and the runner does not second-guess Docker's restart policy");
        later.ContainerId.Should().Be(before.ContainerId);
        later.RestartCount.Should().Be(exited.RestartCount);
    }

    [Fact]
    public async Task Reconcile_CrashingContainerOnFailureWithRetryLimit_RestartedUpToTheLimitThenLeftExited()
    {
        await using var host = new RunnerTestHost(zk.Client);
        var name = host.ContainerName("crashing");
        var baseline = host.Elasticsearch(name, FreePorts.Next());
        var crashing = baseline with
        {
            // The node cannot create its data path under /proc, so it dies at once, every time.
            Env = [.. baseline.Env!.Value, "path.data=/proc/no-such-dir/data"],
            HostConfig = baseline.HostConfig! with { RestartPolicy = new RestartPolicySpec(RestartPolicySpec.OnFailure, 2) },
        };
        await host.WriteAsync(name, crashing);
        await using var runner = await RunnerHost.StartAsync(host.HostId, host.DataRoot, zk.Server.ConnectString);

        // Each run of the node dies only once it has got through its own start-up (about 15 s of a loaded
        // machine, against Docker's 0.1 s and 0.2 s restart delays): three runs do not fit one deadline
        // meant for one step. The deadline is on each step instead: every restart, then the final exit.
        for (var restarts = 1; restarts <= 2; restarts++)
        {
            var atLeast = restarts;
            await Eventually.GetAsync(
                async () => await host.InspectAsync(name) is { } o && o.RestartCount >= atLeast ? o : null,
                Converge, $"{name} to be restarted {atLeast} time(s) by Docker");
        }

        var exited = await host.WaitForStateAsync(name, ContainerStates.Exited, Converge, o => o.RestartCount >= 2);
        exited.ExitCode.Should().NotBe(0);

        // Some passes later it is still exited and nobody restarted it again: the limit holds.
        var passes = runner.Service.Passes;
        await Eventually.AssertAsync(() => Task.FromResult(runner.Service.Passes >= passes + 3), Converge, "three more passes");

        var later = await host.InspectAsync(name);
        later!.State.Should().Be(ContainerStates.Exited);
        later.ContainerId.Should().Be(exited.ContainerId);
        later.RestartCount.Should().Be(2, "on-failure:2 allows two restarts, not more");
    }

    [Fact]
    public async Task Reconcile_ForbiddenDefinitions_RefusedWithReasonAndNeverCreated()
    {
        await using var host = new RunnerTestHost(zk.Client);
        var good = host.ContainerName("good");
        var baseline = host.Elasticsearch(good, FreePorts.Next());
        var forbidden = new Dictionary<string, (ContainerSpec Spec, string Reason)>
        {
            [host.ContainerName("privileged")] = (baseline with { HostConfig = baseline.HostConfig! with { Privileged = true } }, "Privileged"),
            [host.ContainerName("hostnet")] = (baseline with { HostConfig = baseline.HostConfig! with { NetworkMode = "host", PortBindings = null } }, "NetworkMode"),
            [host.ContainerName("capadd")] = (baseline with { HostConfig = baseline.HostConfig! with { CapAdd = ["SYS_ADMIN"] } }, "CapAdd"),
            [host.ContainerName("escape")] = (baseline with { HostConfig = baseline.HostConfig! with { Binds = ["/etc:/host-etc"] } }, "data root"),
        };
        foreach (var (name, (spec, _)) in forbidden)
        {
            await host.WriteAsync(name, spec);
        }

        await host.WriteRawAsync(host.ContainerName("garbage"), "not json"u8.ToArray());
        await host.WriteAsync(good, baseline);
        await using var runner = await RunnerHost.StartAsync(host.HostId, host.DataRoot, zk.Server.ConnectString);

        await host.WaitForStateAsync(good, ContainerStates.Running, Converge);
        foreach (var (name, (_, reason)) in forbidden)
        {
            var refused = await host.WaitForStateAsync(name, ContainerStates.Refused, Converge);
            refused.Error.Should().Contain(reason);
            refused.ContainerId.Should().BeNull();
        }

        (await host.WaitForStateAsync(host.ContainerName("garbage"), ContainerStates.Refused, Converge)).Error.Should().Contain("not a valid container definition");
        (await host.DockerContainersAsync()).Keys.Should().Equal(good);
    }

    [Fact]
    public async Task TwoRunnersOnOneMachine_NameHeldByOtherHost_ErrorPublishedAndNeitherDisturbed()
    {
        await using var first = new RunnerTestHost(zk.Client);
        await using var second = new RunnerTestHost(zk.Client);
        var shared = first.ContainerName("shared");
        var own = second.ContainerName("own");
        await first.WriteAsync(shared, first.Elasticsearch(shared, FreePorts.Next()));
        await using var firstRunner = await RunnerHost.StartAsync(first.HostId, first.DataRoot, zk.Server.ConnectString);
        var held = await first.WaitForStateAsync(shared, ContainerStates.Running, Converge);

        await second.WriteAsync(shared, second.Elasticsearch(shared, FreePorts.Next()));
        await second.WriteAsync(own, second.Elasticsearch(own, FreePorts.Next()));
        await using var secondRunner = await RunnerHost.StartAsync(second.HostId, second.DataRoot, zk.Server.ConnectString);

        var conflict = await second.WaitForStateAsync(shared, ContainerStates.Failed, Converge);
        conflict.Error.Should().Contain("already exists").And.Contain(first.HostId);
        await second.WaitForStateAsync(own, ContainerStates.Running, Converge);
        await second.DeleteAsync(shared);
        await second.DeleteAsync(own);
        await Eventually.AssertAsync(async () => (await second.DockerContainersAsync()).IsEmpty, Converge, "the second host's containers to be removed");

        (await first.InspectAsync(shared))!.ContainerId.Should().Be(held.ContainerId);
        (await RunnerTestHost.DockerInspectAsync(shared, "{{.State.Status}} {{.Id}}")).Should().Be($"running {held.ContainerId}");
    }

    [Fact]
    public async Task Start_OwnContainersAlreadyRunning_AdoptedNotRecreated()
    {
        await using var host = new RunnerTestHost(zk.Client);
        var name = host.ContainerName("es-1");
        await host.WriteAsync(name, host.Elasticsearch(name, FreePorts.Next()));
        ContainerObservation before;
        await using (var runner = await RunnerHost.StartAsync(host.HostId, host.DataRoot, zk.Server.ConnectString))
        {
            before = await host.WaitForStateAsync(name, ContainerStates.Running, Converge);
        }

        (await RunnerTestHost.DockerInspectAsync(name, "{{.State.Status}}")).Should().Be("running", "stopping the runner leaves its containers running");
        await Eventually.AssertAsync(async () => await zk.Client.ExistsAsync(CloudPaths.Runner(host.HostId), null, CancellationToken.None) is null, Converge, "the liveness node to go with the runner");

        await using var again = await RunnerHost.StartAsync(host.HostId, host.DataRoot, zk.Server.ConnectString);
        await Eventually.AssertAsync(async () => await zk.Client.ExistsAsync(CloudPaths.Runner(host.HostId), null, CancellationToken.None) is not null, Converge, "the new runner to register");
        await Eventually.AssertAsync(() => Task.FromResult(again.Service.LastPass is { Desired.IsAuthoritative: true }), Converge, "a reconcile pass");

        var after = await host.InspectAsync(name);
        after!.ContainerId.Should().Be(before.ContainerId);
        after.StartedAt.Should().Be(before.StartedAt);
    }

    private static async Task<string> DieExitCodeAsync(string container, string since, string until)
    {
        var output = await DockerEngine.CliAsync("events", "--since", since, "--until", until,
            "--filter", "container=" + container, "--filter", "event=die", "--format", "{{index .Actor.Attributes \"exitCode\"}}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "(no die event)";
    }
}
