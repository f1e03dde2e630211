using System.Diagnostics.Metrics;
using Cloud.Constructor.Clusters;
using Cloud.Constructor.Execution;
using Cloud.Constructor.Plans;
using Cloud.Constructor.Routing;
using Cloud.Constructor.Telemetry;
using Cloud.Constructor.Tests.Support;
using Cloud.Shared.Hosting;
using Cloud.Shared.Telemetry;
using Cloud.Testing;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Cloud.Constructor.Tests.Execution;

/// <summary>
/// The plan runner's state machine against a real ZooKeeper, with scripted steps and a fake clock: how a
/// grow-and-shrink ends when a step fails or the deadline passes before and after its point of no return
/// (stopping the old instances), and what a cancel does on either side of it. The clock is fake so a plan
/// deadline of ten minutes passes in milliseconds; ZooKeeper's session keeps real time.
/// </summary>
public sealed class PlanRunnerDeadlineTests(ZooKeeperServerFixture zooKeeper) : IClassFixture<ZooKeeperServerFixture>, IAsyncLifetime
{
    private const long TimeoutSeconds = 600;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly ScriptedPlanSteps _steps = new();
    private readonly string _clusterId = "c" + Guid.NewGuid().ToString("N")[..12];
    private ServiceProvider? _services;

    private ClusterStore Store => _services!.GetRequiredService<ClusterStore>();

    private PlanRunner Runner => _services!.GetRequiredService<PlanRunner>();

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.AddSingleton(new ZooKeeperConnection(
            Options.Create(new ZooKeeperOptions { ConnectString = zooKeeper.Server.ConnectString, SessionTimeoutSeconds = 10, RequestTimeoutSeconds = 10 }),
            NullLoggerFactory.Instance,
            TimeProvider.System));
        services.AddSingleton(Options.Create(new ConstructorOptions { ConstructorId = "deadline-tests" }));
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton(sp => new RoleTelemetry("constructor", sp.GetRequiredService<IMeterFactory>()));
        services.AddSingleton<IPlanSteps>(_steps);
        services.AddSingleton<ClusterStore>();
        services.AddSingleton<AssignmentWriter>();
        services.AddSingleton<RoutingWriter>();
        services.AddSingleton<PlanCancelWatcher>();
        services.AddSingleton<PlanMetrics>();
        services.AddSingleton<PlanRunner>();
        _services = services.BuildServiceProvider();

        var created = await Store.CreateAsync(
            new ClusterRecord { ClusterId = _clusterId, ClusterName = "deadline", CreatedAt = _time.GetUtcNow() },
            new ClusterPlans
            {
                Current = Plan("plan-1", "instance-0000000001", "allocator-a") with { Outcome = "success", CompletedAt = _time.GetUtcNow() },
                Pending = Plan("plan-2", "instance-0000000002", "allocator-b"),
                NextInstanceNumber = 3,
                RoutedInstances = ["instance-0000000001"],
            },
            CancellationToken.None);
        created.Should().BeTrue();
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }

    [Fact]
    public async Task StepFailingPastThePointOfNoReturn_IsRetriedUntilTheDeadline_ThenRecordedCurrentWithItsError()
    {
        _steps.Script(StepIds.CleanUp, () => StepOutcome.Error("scripted: clean-up keeps failing"));
        var run = Runner.RunAsync(_clusterId, CancellationToken.None);

        await Eventually.AssertAsync(() => Task.FromResult(_steps.RunsOf(StepIds.CleanUp) >= 1), Patience, "clean_up to have run once");
        var failing = await ReadAsync();
        failing.Pending?.PlanId.Should().Be("plan-2", "a failure past the point of no return does not end the plan before its deadline");
        failing.Attempts[^1].Steps.Should().NotContain(s => s.StepId == StepIds.Rollback);

        await AdvanceUntilAsync(() => run.IsCompleted);
        await run;

        var plans = await ReadAsync();
        plans.Pending.Should().BeNull();
        plans.Current!.PlanId.Should().Be("plan-2", "the new instances are what the cluster runs on: the plan is recorded as current, truthfully failed");
        plans.Current.Outcome.Should().Be("error");
        var attempt = plans.Attempts[^1];
        attempt.Status.Should().Be("error");
        attempt.Error.Should().Contain("step clean_up failed").And.Contain("past the plan's deadline");
        attempt.Steps.Should().NotContain(s => s.StepId == StepIds.Rollback, "the old instances are stopped: going back would leave nothing");
        _steps.Rollbacks.Should().Be(0);
        _steps.RunsOf(StepIds.CleanUp).Should().BeGreaterThan(1, "a failing step past the point of no return is retried until the deadline");
        _steps.RunsOf(StepIds.StopOldInstances).Should().Be(1, "steps that finished are not run again");
        plans.History.Should().ContainSingle(h => h.PlanId == "plan-2").Which.Outcome.Should().Be("error");
    }

    [Fact]
    public async Task StepFailingBeforeThePointOfNoReturn_RollsBackToTheCurrentPlan()
    {
        _steps.Script(StepIds.WaitForNewInstances, () => StepOutcome.Error("scripted: the new instances never joined"));

        await Runner.RunAsync(_clusterId, CancellationToken.None).WaitAsync(Patience);

        var plans = await ReadAsync();
        plans.Pending.Should().BeNull();
        plans.Current!.PlanId.Should().Be("plan-1");
        plans.Attempts[^1].Status.Should().Be("error");
        plans.Attempts[^1].Steps.Should().Contain(s => s.StepId == StepIds.Rollback && s.Status == StepStatuses.Success);
        _steps.Rollbacks.Should().Be(1);
        _steps.RunsOf(StepIds.StopOldInstances).Should().Be(0);
        plans.RoutedInstances.Should().Equal("instance-0000000001");
    }

    [Fact]
    public async Task DeadlinePassingBeforeThePointOfNoReturn_RollsBackAsTimedOut()
    {
        _steps.Script(StepIds.WaitForNewInstances, () =>
        {
            _time.Advance(TimeSpan.FromSeconds(TimeoutSeconds + 1));
            return StepOutcome.Success("scripted: joined, but the clock ran past the deadline meanwhile");
        });

        await Runner.RunAsync(_clusterId, CancellationToken.None).WaitAsync(Patience);

        var plans = await ReadAsync();
        plans.Current!.PlanId.Should().Be("plan-1");
        plans.Attempts[^1].Error.Should().Contain("plan timed out");
        _steps.Rollbacks.Should().Be(1);
        _steps.RunsOf(StepIds.ExcludeOldFromAllocation).Should().Be(0, "no step starts once the deadline has passed before the point of no return");
    }

    [Fact]
    public async Task CancelRequestedPastThePointOfNoReturn_PlanGoesForwardToSuccess()
    {
        _steps.Script(StepIds.StopOldInstances, async cancellationToken =>
        {
            await Store.UpdateAsync(_clusterId, s => s.Plans with { Pending = s.Plans.Pending! with { CancelRequested = true } }, cancellationToken);
            return StepOutcome.Success("scripted: old instances stopped; a cancel arrived meanwhile");
        });

        await Runner.RunAsync(_clusterId, CancellationToken.None).WaitAsync(Patience);

        var plans = await ReadAsync();
        plans.Current!.PlanId.Should().Be("plan-2", "once the old instances are stopped, only going forward leaves the cluster whole");
        plans.Current.Outcome.Should().Be("success");
        _steps.Rollbacks.Should().Be(0);
        _steps.RunsOf(StepIds.CleanUp).Should().Be(1);
    }

    private static PlanRecord Plan(string planId, string instanceName, string allocatorId) => new()
    {
        PlanId = planId,
        Plan = new PlanSpec
        {
            Elasticsearch = new ElasticsearchSpec { Version = "8.15.0" },
            ClusterTopology = [new TopologyElementSpec { MemoryPerNode = 1024, ZoneCount = 1 }],
        },
        Instances = [new PlannedInstance { InstanceName = instanceName, AllocatorId = allocatorId, Zone = "zone-1", MemoryMb = 1024 }],
        Strategy = PlanStrategies.GrowAndShrink,
        TimeoutSeconds = TimeoutSeconds,
    };

    private async Task<ClusterPlans> ReadAsync() => (await Store.TryGetAsync(_clusterId, CancellationToken.None))!.Plans;

    /// <summary>Moves the fake clock on in 30 s strides (each firing the runner's pending retry delay) until <paramref name="done"/>.</summary>
    private async Task AdvanceUntilAsync(Func<bool> done)
    {
        var realDeadline = DateTime.UtcNow + Patience;
        while (!done())
        {
            DateTime.UtcNow.Should().BeBefore(realDeadline, "the plan should have ended within {0} of fake-clock strides", Patience);
            _time.Advance(TimeSpan.FromSeconds(30));
            await Task.Delay(20);
        }
    }
}
