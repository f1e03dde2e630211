namespace Cloud.Constructor.Infrastructure;

public sealed record MemoryView(long TotalMb, long UsedMb);
