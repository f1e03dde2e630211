using System.Collections.Immutable;
using Cloud.Runner.Docker;
using Cloud.Runner.Hosting;
using Cloud.Runner.Reconcile;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace Cloud.Runner.Tests.Reconcile;

public sealed class ContainerReconcilerTests
{
    private readonly FakeRuntime _runtime = new();
    private readonly ContainerReconciler _reconciler;

    public ContainerReconcilerTests()
    {
        var options = Options.Create(new RunnerOptions { HostId = "host-1", MaxParallelActions = 1, DataRoot = Path.Combine(Path.GetTempPath(), "runner-unit-" + Guid.NewGuid().ToString("N")[..8]) });
        var applier = new ContainerActionApplier(_runtime, options, NullLogger<ContainerActionApplier>.Instance);
        _reconciler = new ContainerReconciler(_runtime, applier, options, NullLogger<ContainerReconciler>.Instance);
    }

    [Fact]
    public async Task Reconcile_NotAuthoritative_NothingTouchedEvenWhenEverythingDiffers()
    {
        _runtime.Containers["orphan"] = Specs.Observed("orphan", "running", "old", id: "o1");
        _runtime.Containers["changed"] = Specs.Observed("changed", "running", "old", id: "c1");
        _runtime.Containers["killed"] = Specs.Observed("killed", "exited", Specs.Desired("killed").Hash, 137, id: "k1");
        var desired = Snapshot(isAuthoritative: false, "changed", "killed", "new");

        var pass = await _reconciler.ReconcileAsync(desired, CancellationToken.None);

        pass.Actions.Should().BeEmpty();
        _runtime.Calls.Should().BeEmpty();
        pass.Owned.Should().HaveCount(3);
    }

    [Fact]
    public async Task Reconcile_Authoritative_ConvergesAndSecondPassChangesNothing()
    {
        _runtime.Containers["orphan"] = Specs.Observed("orphan", "running", "old", id: "o1");
        _runtime.Containers["changed"] = Specs.Observed("changed", "running", "old", id: "c1");
        var desired = Snapshot(isAuthoritative: true, "changed", "new");

        await _reconciler.ReconcileAsync(desired, CancellationToken.None);
        _runtime.Calls.Clear();
        var second = await _reconciler.ReconcileAsync(desired, CancellationToken.None);

        _runtime.Containers.Keys.Should().BeEquivalentTo("changed", "new");
        _runtime.Containers.Values.Should().OnlyContain(c => c.Status == "running");
        second.Actions.Should().OnlyContain(a => a.Kind == ContainerActionKind.Keep);
        _runtime.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task Reconcile_UnexpectedExceptionForOneContainer_ThatContainersErrorOthersGoOn()
    {
        _runtime.ThrowOnCreate.Add("broken");
        var desired = Snapshot(isAuthoritative: true, "broken", "fine");

        var pass = await _reconciler.ReconcileAsync(desired, CancellationToken.None);

        _runtime.Containers.Keys.Should().BeEquivalentTo(["fine"]);
        pass.Failures.Should().ContainKey("broken").WhoseValue.Error.Should().Contain("InvalidOperationException").And.Contain("engine said something odd");
        pass.Failures.Should().NotContainKey("fine");
    }

    private static DesiredSnapshot Snapshot(bool isAuthoritative, params string[] names) =>
        new(names.ToImmutableSortedDictionary(n => n, n => Specs.Desired(n, Specs.Elasticsearch() with { HostConfig = Specs.Elasticsearch().HostConfig! with { Binds = null } }), StringComparer.Ordinal), 1, isAuthoritative);

    /// <summary>An in-memory engine: enough to check which calls a pass makes and where it leaves things.</summary>
    private sealed class FakeRuntime : IContainerRuntime
    {
        private int _ids;

        public Dictionary<string, RuntimeContainerState> Containers { get; } = new(StringComparer.Ordinal);

        public List<string> Calls { get; } = [];

        public HashSet<string> ThrowOnCreate { get; } = [];

        public Task<RuntimeInfo> GetInfoAsync(CancellationToken cancellationToken) => Task.FromResult(new RuntimeInfo("fake", "1.41", null, null, 1, 1));

        public Task<ImmutableArray<RuntimeContainerState>> ListOwnedAsync(string ownerHostId, CancellationToken cancellationToken) =>
            Task.FromResult(Containers.Values.Where(c => c.OwnerHostId == ownerHostId).ToImmutableArray());

        public Task<RuntimeContainerState?> InspectAsync(string nameOrId, CancellationToken cancellationToken) =>
            Task.FromResult(Containers.Values.FirstOrDefault(c => c.Name == nameOrId || c.Id == nameOrId));

        public Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<ImmutableArray<string>> ListImagesAsync(CancellationToken cancellationToken) => Task.FromResult(ImmutableArray.Create("cloud/elasticsearch:8.15.0"));

        public Task<string> CreateAsync(ContainerCreateRequest request, CancellationToken cancellationToken)
        {
            Calls.Add("create " + request.Name);
            if (ThrowOnCreate.Contains(request.Name))
            {
                throw new InvalidOperationException("engine said something odd");
            }

            var id = "n" + Interlocked.Increment(ref _ids);
            Containers[request.Name] = new RuntimeContainerState
            {
                Id = id,
                Name = request.Name,
                OwnerHostId = request.RunnerLabels[OwnerLabels.HostId],
                DefinitionHash = request.RunnerLabels[OwnerLabels.DefinitionHash],
                Status = "created",
            };
            return Task.FromResult(id);
        }

        public Task StartAsync(string id, CancellationToken cancellationToken) => Update(id, "start", c => c with { Status = "running" });

        public Task StopAsync(string id, CancellationToken cancellationToken) => Update(id, "stop", c => c with { Status = "exited", ExitCode = 0 });

        public Task RemoveAsync(string id, CancellationToken cancellationToken)
        {
            Calls.Add("remove " + id);
            foreach (var name in Containers.Where(c => c.Value.Id == id).Select(c => c.Key).ToList())
            {
                Containers.Remove(name);
            }

            return Task.CompletedTask;
        }

        public IAsyncEnumerable<RuntimeEvent> WatchAsync(string ownerHostId, CancellationToken cancellationToken) => AsyncEnumerable.Empty<RuntimeEvent>();

        private Task Update(string id, string call, Func<RuntimeContainerState, RuntimeContainerState> change)
        {
            Calls.Add(call + " " + id);
            var entry = Containers.First(c => c.Value.Id == id);
            Containers[entry.Key] = change(entry.Value);
            return Task.CompletedTask;
        }
    }
}
