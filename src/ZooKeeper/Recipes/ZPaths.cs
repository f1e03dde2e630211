namespace Cloud.ZooKeeper.Recipes;

internal static class ZPaths
{
    public static string Combine(string parent, string name) => parent == "/" ? "/" + name : parent + "/" + name;

    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    public static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];
}
