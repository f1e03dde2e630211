using System.Text.Json;

namespace Cloud.Constructor.Infrastructure;

/// <summary>A runner or proxy: its id, that it is connected (its ephemeral node exists), and what it publishes.</summary>
public sealed record LivenessView(string Id, bool Connected, JsonElement Facts);
