namespace Cloud.Constructor.Infrastructure;

/// <summary>A constructor taking part in leader election; the leader executes plans and remediates, the others serve the API.</summary>
public sealed record ConstructorView(string ConstructorId, bool Leader, bool Connected);
