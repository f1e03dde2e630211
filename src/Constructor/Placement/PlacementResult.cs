using System.Collections.Immutable;
using Cloud.Constructor.Api;

namespace Cloud.Constructor.Placement;

/// <summary>The instances of the placed plan (kept ones first), or why it cannot be placed.</summary>
public sealed record PlacementResult(ImmutableArray<PlacedInstance> Instances, ImmutableArray<ApiError> Errors, long NextInstanceNumber)
{
    public bool Succeeded => Errors.IsEmpty;
}
