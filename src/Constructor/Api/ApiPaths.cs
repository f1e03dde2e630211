namespace Cloud.Constructor.Api;

/// <summary>Paths of the constructor's API (DESIGN.md, contract).</summary>
public static class ApiPaths
{
    public const string Base = "/api/v1";
    public const string Clusters = Base + "/clusters/elasticsearch";
    public const string Infrastructure = Base + "/platform/infrastructure";
    public const string OpenApiPath = Base + "/openapi.json";
}
