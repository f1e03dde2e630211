namespace Cloud.Constructor.Api;

/// <summary>One entry of DESIGN.md's error shape: <c>{"code", "message", "field"}</c>.</summary>
public sealed record ApiError(string Code, string Message, string? Field = null);
