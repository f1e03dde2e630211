namespace Cloud.Shared.Hosting;

/// <summary>
/// Where each role listens unless told otherwise. The constructor's API (12400) and the proxy (9200)
/// are public contract; the agents' ports only serve health and diagnostics.
/// </summary>
public static class DefaultUrls
{
    public const string Constructor = "http://0.0.0.0:12400";
    public const string Proxy = "http://0.0.0.0:9200";
    public const string Runner = "http://127.0.0.1:12410";
    public const string Allocator = "http://127.0.0.1:12420";
}
