namespace Pipeline.Api.Tests;

/// <summary>The clone's root (where Pipeline.sln is), for tests that read the golden definitions.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Pipeline.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new DirectoryNotFoundException("Pipeline.sln not found above the test's folder.");
    }
}
