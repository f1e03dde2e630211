using Microsoft.AspNetCore.Http;

namespace Cloud.Constructor.Security;

/// <summary>Who called: the API key's name (recorded as an override's author) and whether it may change things.</summary>
public sealed record ApiCaller(string Name, bool CanMutate)
{
    private static readonly object Key = new();

    public static ApiCaller Anonymous { get; } = new("anonymous", true);

    public static ApiCaller Of(HttpContext context) => context.Items.TryGetValue(Key, out var caller) && caller is ApiCaller c ? c : Anonymous;

    public void AttachTo(HttpContext context) => context.Items[Key] = this;
}
