using System.Collections.Immutable;
using System.Text.Json;
using Cloud.Constructor.Api;
using Cloud.Constructor.Clusters;
using Cloud.Constructor.Plans;
using Cloud.Constructor.Security;
using Cloud.Shared.Allocators;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Cloud.Constructor.Infrastructure;

/// <summary>The platform part of the API: allocators, their maintenance, vacating them, runners and proxies.</summary>
public static class InfrastructureEndpoints
{
    public static IEndpointRouteBuilder MapInfrastructureEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(ApiPaths.Infrastructure).WithTags("infrastructure");
        group.MapGet("/allocators", async (PlatformReader platform, CancellationToken ct) =>
            ApiResults.Json(new AllocatorList(await platform.ReadAllocatorsAsync(ct)))).Produces<AllocatorList>();
        group.MapPost("/allocators/{allocator_id}/maintenance-mode/_start", (string allocator_id, PlatformReader platform, CancellationToken ct) => SetMaintenanceAsync(allocator_id, true, platform, ct));
        group.MapPost("/allocators/{allocator_id}/maintenance-mode/_stop", (string allocator_id, PlatformReader platform, CancellationToken ct) => SetMaintenanceAsync(allocator_id, false, platform, ct));
        group.MapPost("/allocators/{allocator_id}/clusters/_move", VacateAsync).Produces<VacateResult>(StatusCodes.Status202Accepted);
        group.MapGet("/runners", async (PlatformReader platform, CancellationToken ct) =>
            ApiResults.Json(new { runners = (await platform.ReadLivenessAsync(CloudPaths.Runners, ct)).Select(r => new LivenessView(r.Id, true, r.Facts)) }));
        group.MapGet("/constructors", async (PlatformReader platform, CancellationToken ct) =>
            ApiResults.Json(new ConstructorList(await platform.ReadConstructorsAsync(ct)))).Produces<ConstructorList>();
        group.MapGet("/proxies", async (PlatformReader platform, CancellationToken ct) =>
            ApiResults.Json(new { proxies = (await platform.ReadLivenessAsync(CloudPaths.Proxies, ct)).Select(r => new LivenessView(r.Id, true, r.Facts)) }));
        return app;
    }

    private static async Task<IResult> SetMaintenanceAsync(string allocatorId, bool on, PlatformReader platform, CancellationToken ct)
    {
        var allocators = await platform.ReadAllocatorsAsync(ct);
        if (!allocators.Any(a => a.AllocatorId == allocatorId))
        {
            return ApiResults.Error(StatusCodes.Status404NotFound, "allocator.not_found", $"No allocator '{allocatorId}'.");
        }

        var client = await platform.ClientAsync(ct);
        var path = CloudPaths.AllocatorMeta(allocatorId);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var existing = await client.GetDataAsync(path, cancellationToken: ct);
                var meta = existing.Data.Length == 0 ? new AllocatorMeta() : CloudJson.Deserialize<AllocatorMeta>(existing.Data);
                await client.SetDataAsync(path, CloudJson.Serialize(meta with { MaintenanceMode = on }), existing.Stat.Version, ct);
                break;
            }
            catch (NoNodeException)
            {
                await client.CreateRecursiveAsync(CloudPaths.AllocatorsMeta, cancellationToken: ct);
                try
                {
                    await client.CreateAsync(path, CloudJson.Serialize(new AllocatorMeta { MaintenanceMode = on }), cancellationToken: ct);
                    break;
                }
                catch (NodeExistsException) when (attempt < 5)
                {
                }
            }
            catch (BadVersionException) when (attempt < 5)
            {
            }
        }

        return ApiResults.Json(new { allocator_id = allocatorId, maintenance_mode = on }, StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> VacateAsync(string allocator_id, HttpRequest request, ClusterStore store, PlatformReader platform, IOptions<ConstructorOptions> options, TimeProvider time, CancellationToken ct)
    {
        var allocators = await platform.ReadAllocatorsAsync(ct);
        if (!allocators.Any(a => a.AllocatorId == allocator_id))
        {
            return ApiResults.Error(StatusCodes.Status404NotFound, "allocator.not_found", $"No allocator '{allocator_id}'.");
        }

        var moves = ImmutableArray.CreateBuilder<ClusterMove>();
        var errors = ImmutableArray.CreateBuilder<ApiError>();
        var candidates = allocators.Select(a => a.ToCandidate()).ToImmutableArray();
        foreach (var clusterId in await store.ListIdsAsync(ct))
        {
            var snapshot = await store.TryGetAsync(clusterId, ct);
            if (snapshot?.Plans.Current is not { } current || snapshot.Plans.Lifecycle == "stopped" || !current.Instances.Any(i => i.AllocatorId == allocator_id))
            {
                continue;
            }

            var result = await PlanSubmission.SubmitAsync(
                store,
                clusterId,
                current.Plan with { Transient = (current.Plan.Transient ?? new TransientSpec()) with { Strategy = PlanStrategies.GrowAndShrink } },
                candidates,
                options.Value.AvailableVersions,
                $"vacate:{allocator_id}:{ApiCaller.Of(request.HttpContext).Name}",
                time.GetUtcNow(),
                [allocator_id],
                ct);
            if (result.IsAccepted)
            {
                moves.Add(new ClusterMove(clusterId, result.Pending!.PlanId, [.. current.Instances.Where(i => i.AllocatorId == allocator_id).Select(i => i.InstanceName)]));
            }
            else
            {
                errors.AddRange(result.Errors.Select(e => e with { Message = $"cluster {clusterId}: {e.Message}", Field = clusterId }));
            }
        }

        return errors.Count > 0 && moves.Count == 0
            ? ApiResults.Errors(StatusCodes.Status409Conflict, errors.ToImmutable())
            : ApiResults.Json(new VacateResult(allocator_id, moves.ToImmutable(), errors.ToImmutable()), StatusCodes.Status202Accepted);
    }
}
