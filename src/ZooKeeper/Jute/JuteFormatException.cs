namespace Cloud.ZooKeeper.Jute;

/// <summary>A received frame did not match the expected jute record layout.</summary>
internal sealed class JuteFormatException : Exception
{
    public JuteFormatException(string message)
        : base(message)
    {
    }
}
