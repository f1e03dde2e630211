using System.Collections.Immutable;

namespace Cloud.Constructor.Api;

/// <summary><c>{"errors": [...]}</c>, the body of every 4xx answer.</summary>
public sealed record ApiErrorResponse(ImmutableArray<ApiError> Errors);
