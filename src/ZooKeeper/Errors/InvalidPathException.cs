namespace Cloud.ZooKeeper;

/// <summary>A path was refused on the client because ZooKeeper would not accept it.</summary>
public sealed class InvalidPathException : BadArgumentsException
{
    public InvalidPathException(string? path, string reason)
        : base(path, $"Invalid ZooKeeper path '{path}': {reason}.")
    {
    }
}
