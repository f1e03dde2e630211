using System.Collections.Immutable;
using Cloud.Constructor.Api;
using Cloud.Constructor.Clusters;

namespace Cloud.Constructor.Plans;

public sealed record PlanAcceptanceResult(PlanRecord? Pending, long NextInstanceNumber, ImmutableArray<ApiError> Errors)
{
    public bool IsAccepted => Pending is not null;

    public static PlanAcceptanceResult Accepted(PlanRecord pending, long next) => new(pending, next, []);

    public static PlanAcceptanceResult Refused(ImmutableArray<ApiError> errors) => new(null, 0, errors);
}
