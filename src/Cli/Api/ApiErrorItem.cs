namespace Cloud.Cli.Api;

/// <summary>One entry of the API's <c>{"errors":[{"code","message","field"}]}</c>.</summary>
public sealed record ApiErrorItem(string Code, string Message, string? Field);
