using Cloud.Shared.Routing;

namespace Cloud.Constructor.Routing;

/// <summary>An override as the API shows it: its id, the stored override, and whether it applies now.</summary>
public sealed record OverrideView(string OverrideId, RoutingOverride Override, bool Active);
