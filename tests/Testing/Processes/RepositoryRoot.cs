namespace Cloud.Testing;

/// <summary>The checkout's root: the nearest parent folder holding Cloud.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Cloud.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cloud.sln not found above " + AppContext.BaseDirectory);
    }
}
