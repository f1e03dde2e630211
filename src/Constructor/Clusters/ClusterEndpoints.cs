using System.Collections.Immutable;
using Cloud.Constructor.Api;
using Cloud.Constructor.Clusters.Resources;
using Cloud.Constructor.Execution;
using Cloud.Constructor.Infrastructure;
using Cloud.Constructor.Plans;
using Cloud.Constructor.Routing;
using Cloud.Constructor.Security;
using Cloud.Constructor.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Cloud.Constructor.Clusters;

/// <summary>The clusters part of the API (DESIGN.md, "REST API of the constructor").</summary>
public static class ClusterEndpoints
{
    public static IEndpointRouteBuilder MapClusterEndpoints(this IEndpointRouteBuilder app)
    {
        var clusters = app.MapGroup(ApiPaths.Clusters).WithTags("clusters");
        clusters.MapPost("/", CreateAsync).Accepts<CreateClusterRequest>("application/json")
            .Produces<PlanAccepted>(StatusCodes.Status201Created).Produces<PlanAccepted>().Produces<ApiErrorResponse>(StatusCodes.Status400BadRequest);
        clusters.MapGet("/", ListAsync).Produces<ClusterList>();
        clusters.MapGet("/{cluster_id}", GetAsync).Produces<ClusterResource>().Produces<ApiErrorResponse>(StatusCodes.Status404NotFound);
        clusters.MapDelete("/{cluster_id}", DeleteAsync).Produces(StatusCodes.Status200OK).Produces<ApiErrorResponse>(StatusCodes.Status409Conflict);
        clusters.MapPost("/{cluster_id}/plan", SubmitPlanAsync).Accepts<PlanSpec>("application/json")
            .Produces<PlanAccepted>(StatusCodes.Status202Accepted).Produces<ApiErrorResponse>(StatusCodes.Status400BadRequest).Produces<ApiErrorResponse>(StatusCodes.Status409Conflict);
        clusters.MapGet("/{cluster_id}/plan/activity", ActivityAsync).Produces<PlanActivity>();
        clusters.MapDelete("/{cluster_id}/plan/pending", CancelPendingAsync).Produces<PlanAccepted>(StatusCodes.Status202Accepted);
        clusters.MapPost("/{cluster_id}/_shutdown", ShutdownAsync).Produces<PlanAccepted>(StatusCodes.Status202Accepted);
        clusters.MapPost("/{cluster_id}/instances/{instance_names}/maintenance-mode/_start", (string cluster_id, string instance_names, ClusterStore store, RoutingWriter routing, CancellationToken ct) =>
            SetInstanceMaintenanceAsync(cluster_id, instance_names, true, store, routing, ct));
        clusters.MapPost("/{cluster_id}/instances/{instance_names}/maintenance-mode/_stop", (string cluster_id, string instance_names, ClusterStore store, RoutingWriter routing, CancellationToken ct) =>
            SetInstanceMaintenanceAsync(cluster_id, instance_names, false, store, routing, ct));
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, bool? validate_only, ClusterStore store, PlatformReader platform, IOptions<ConstructorOptions> options, TimeProvider time, CancellationToken ct)
    {
        var (create, refusal) = await RequestBody.ReadJsonAsync<CreateClusterRequest>(request, ct);
        if (create is null)
        {
            return refusal!;
        }

        var errors = ImmutableArray.CreateBuilder<ApiError>();
        if (string.IsNullOrWhiteSpace(create.ClusterName) || create.ClusterName.Length > 128 || create.ClusterName.Any(char.IsControl))
        {
            errors.Add(new ApiError("cluster.name_invalid", "cluster_name is required: 1-128 printable characters.", "cluster_name"));
        }

        if (create.Plan is null)
        {
            errors.Add(new ApiError("plan.missing", "plan is required.", "plan"));
            return ApiResults.Errors(StatusCodes.Status400BadRequest, errors.ToImmutable());
        }

        var allocators = await platform.ReadAllocatorsAsync(ct);
        var accepted = PlanAcceptance.Accept(new PlanAcceptanceRequest(
            create.Plan, null, [.. allocators.Select(a => a.ToCandidate())], options.Value.AvailableVersions, PlanSubmission.NewPlanId(), $"api:{ApiCaller.Of(request.HttpContext).Name}", time.GetUtcNow()));
        errors.AddRange(accepted.Errors);
        if (errors.Count > 0)
        {
            return ApiResults.Errors(StatusCodes.Status400BadRequest, errors.ToImmutable());
        }

        var pending = accepted.Pending!;
        if (validate_only == true)
        {
            return ApiResults.Json(new PlanAccepted { ValidateOnly = true, Strategy = pending.Strategy, Instances = pending.Instances });
        }

        var clusterId = Guid.NewGuid().ToString("N");
        var record = new ClusterRecord { ClusterId = clusterId, ClusterName = create.ClusterName!, CreatedAt = time.GetUtcNow() };
        await store.CreateAsync(record, new ClusterPlans { Pending = pending, NextInstanceNumber = accepted.NextInstanceNumber }, ct);
        return ApiResults.Json(new PlanAccepted { ClusterId = clusterId, PlanId = pending.PlanId, Strategy = pending.Strategy, Instances = pending.Instances }, StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(ClusterStore store, PlatformReader platform, IOptions<ConstructorOptions> options, CancellationToken ct)
    {
        var allocators = (await platform.ReadAllocatorsAsync(ct)).ToDictionary(a => a.AllocatorId, StringComparer.Ordinal);
        var resources = ImmutableArray.CreateBuilder<ClusterResource>();
        foreach (var id in await store.ListIdsAsync(ct))
        {
            if (await store.TryGetReadableAsync(id, ct) is { } snapshot)
            {
                resources.Add(ClusterResourceBuilder.Build(snapshot, await platform.ReadInstancesAsync(id, ct), allocators, await platform.ReadRoutingAsync(id, ct), options.Value.ProxyEndpointTemplate));
            }
        }

        return ApiResults.Json(new ClusterList(resources.ToImmutable(), resources.Count));
    }

    private static async Task<IResult> GetAsync(string cluster_id, ClusterStore store, PlatformReader platform, IOptions<ConstructorOptions> options, CancellationToken ct)
    {
        if (await store.TryGetAsync(cluster_id, ct) is not { } snapshot)
        {
            return ApiResults.ClusterNotFound(cluster_id);
        }

        var allocators = (await platform.ReadAllocatorsAsync(ct)).ToDictionary(a => a.AllocatorId, StringComparer.Ordinal);
        return ApiResults.Json(ClusterResourceBuilder.Build(snapshot, await platform.ReadInstancesAsync(cluster_id, ct), allocators, await platform.ReadRoutingAsync(cluster_id, ct), options.Value.ProxyEndpointTemplate));
    }

    private static async Task<IResult> SubmitPlanAsync(string cluster_id, HttpRequest request, bool? validate_only, ClusterStore store, PlatformReader platform, IOptions<ConstructorOptions> options, TimeProvider time, CancellationToken ct)
    {
        var (plan, refusal) = await RequestBody.ReadJsonAsync<PlanSpec>(request, ct);
        if (plan is null)
        {
            return refusal!;
        }

        if (await store.TryGetAsync(cluster_id, ct) is not { } snapshot)
        {
            return ApiResults.ClusterNotFound(cluster_id);
        }

        ImmutableArray<Placement.AllocatorCandidate> allocators = [.. (await platform.ReadAllocatorsAsync(ct)).Select(a => a.ToCandidate())];
        var source = $"api:{ApiCaller.Of(request.HttpContext).Name}";
        if (validate_only == true)
        {
            var check = PlanAcceptance.Accept(new PlanAcceptanceRequest(plan, snapshot.Plans, allocators, options.Value.AvailableVersions, "validate-only", source, time.GetUtcNow(), string.Empty));
            return check.IsAccepted
                ? ApiResults.Json(new PlanAccepted { ClusterId = cluster_id, ValidateOnly = true, Strategy = check.Pending!.Strategy, Instances = check.Pending.Instances })
                : ApiResults.Errors(StatusCodes.Status400BadRequest, check.Errors);
        }

        var result = await PlanSubmission.SubmitAsync(store, cluster_id, plan, allocators, options.Value.AvailableVersions, source, time.GetUtcNow(), [], ct);
        if (!result.IsAccepted)
        {
            var conflict = result.Errors.Any(e => e.Code == "plan.pending_exists");
            var missing = result.Errors.Any(e => e.Code == "cluster.not_found");
            return ApiResults.Errors(missing ? StatusCodes.Status404NotFound : conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest, result.Errors);
        }

        return ApiResults.Json(new PlanAccepted { ClusterId = cluster_id, PlanId = result.Pending!.PlanId, Strategy = result.Pending.Strategy, Instances = result.Pending.Instances }, StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> ActivityAsync(string cluster_id, ClusterStore store, CancellationToken ct)
    {
        if (await store.TryGetAsync(cluster_id, ct) is not { } snapshot)
        {
            return ApiResults.ClusterNotFound(cluster_id);
        }

        var attempts = snapshot.Plans.Attempts;
        var current = attempts.LastOrDefault(a => a.Status == "running" && a.PlanId == snapshot.Plans.Pending?.PlanId);
        return ApiResults.Json(new PlanActivity(current, [.. attempts.Where(a => a != current)]));
    }

    private static async Task<IResult> CancelPendingAsync(string cluster_id, ClusterStore store, CancellationToken ct)
    {
        PlanRecord? pending = null;
        var updated = await store.UpdateAsync(
            cluster_id,
            s =>
            {
                pending = s.Plans.Pending;
                return pending is null || pending.CancelRequested ? null : s.Plans with { Pending = pending with { CancelRequested = true } };
            },
            ct);
        if (updated is null)
        {
            return ApiResults.ClusterNotFound(cluster_id);
        }

        return pending is null
            ? ApiResults.Error(StatusCodes.Status404NotFound, "plan.no_pending", "The cluster has no pending plan.")
            : ApiResults.Json(new PlanAccepted { ClusterId = cluster_id, PlanId = pending.PlanId, Strategy = pending.Strategy }, StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> ShutdownAsync(string cluster_id, ClusterStore store, TimeProvider time, HttpRequest request, CancellationToken ct)
    {
        IResult? refusal = null;
        PlanRecord? shutdown = null;
        var updated = await store.UpdateAsync(
            cluster_id,
            s =>
            {
                if (s.Plans.Pending is { } pending)
                {
                    refusal = ApiResults.Error(StatusCodes.Status409Conflict, "plan.pending_exists", $"Plan {pending.PlanId} is still pending; cancel it first.");
                    return null;
                }

                if (s.Plans.Current is not { } current || s.Plans.Lifecycle == "stopped")
                {
                    refusal = ApiResults.Json(new PlanAccepted { ClusterId = cluster_id, Strategy = "none" });
                    return null;
                }

                shutdown = current with
                {
                    PlanId = PlanSubmission.NewPlanId(),
                    Kind = PlanKinds.Shutdown,
                    Source = $"api:{ApiCaller.Of(request.HttpContext).Name}",
                    SubmittedAt = time.GetUtcNow(),
                    Outcome = null,
                    CompletedAt = null,
                    NextPhaseVersion = null,
                };
                return s.Plans with { Pending = shutdown };
            },
            ct);
        if (updated is null)
        {
            return ApiResults.ClusterNotFound(cluster_id);
        }

        return refusal ?? ApiResults.Json(new PlanAccepted { ClusterId = cluster_id, PlanId = shutdown!.PlanId, Strategy = "shutdown", Instances = shutdown.Instances }, StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> DeleteAsync(string cluster_id, ClusterStore store, AssignmentWriter assignments, RoutingWriter routing, DataPurgeWriter purges, CancellationToken ct)
    {
        if (await store.TryGetAsync(cluster_id, ct) is not { } snapshot)
        {
            return ApiResults.ClusterNotFound(cluster_id);
        }

        if (snapshot.Plans.Pending is not null || (snapshot.Plans.Current is not null && snapshot.Plans.Lifecycle != "stopped"))
        {
            return ApiResults.Error(StatusCodes.Status409Conflict, "cluster.not_stopped", "Shut the cluster down first (POST .../_shutdown) and wait until it is stopped.");
        }

        await routing.DeleteAsync(cluster_id, ct);
        foreach (var instance in snapshot.Plans.Current?.Instances ?? [])
        {
            await assignments.RemoveAsync(cluster_id, instance, ct);
        }

        // Only now is the data removed (a shutdown keeps it): each allocator purges what it holds, once the
        // unassigned containers are gone. The cluster's record goes last, so a DELETE retried after a crash redoes it all.
        await purges.RequestAsync(cluster_id, snapshot.Plans, ct);
        await store.DeleteAsync(cluster_id, ct);
        return ApiResults.Json(new { cluster_id });
    }

    private static async Task<IResult> SetInstanceMaintenanceAsync(string clusterId, string names, bool on, ClusterStore store, RoutingWriter routing, CancellationToken ct)
    {
        var requested = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToImmutableArray();
        ImmutableArray<ApiError> errors = [];
        var updated = await store.UpdateAsync(
            clusterId,
            s =>
            {
                var known = (s.Plans.Current?.Instances ?? []).Concat(s.Plans.Pending?.Instances ?? []).Select(i => i.InstanceName).ToHashSet(StringComparer.Ordinal);
                errors = [.. requested.Where(n => !known.Contains(n)).Select(n => new ApiError("instance.not_found", $"The cluster has no instance '{n}'.", "instance_names"))];
                if (requested.IsEmpty)
                {
                    errors = [new ApiError("instance.not_found", "Name at least one instance.", "instance_names")];
                }

                if (!errors.IsEmpty)
                {
                    return null;
                }

                var maintenance = on ? s.Plans.MaintenanceInstances.Union(requested) : s.Plans.MaintenanceInstances.Except(requested);
                return s.Plans with { MaintenanceInstances = [.. maintenance.Order(StringComparer.Ordinal)] };
            },
            ct);
        if (updated is null)
        {
            return ApiResults.ClusterNotFound(clusterId);
        }

        if (!errors.IsEmpty)
        {
            return ApiResults.Errors(StatusCodes.Status404NotFound, errors);
        }

        await routing.WriteAsync(clusterId, updated.Plans, ct);
        return ApiResults.Json(new { cluster_id = clusterId, instances = requested, maintenance_mode = on }, StatusCodes.Status202Accepted);
    }
}
