namespace Cloud.Constructor.Clusters.Resources;

/// <summary><c>endpoints.http</c>: the cluster's address through the proxy.</summary>
public sealed record EndpointsView(string Http);
