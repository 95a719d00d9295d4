using System.Text.Json.Nodes;

namespace Pipeline.Domain.Tests.Experiments.Conformance;

/// <summary>
/// Loads GrowthBook's cross-SDK suite (<c>../shared/conformance/growthbook/standard-cases.json</c>,
/// relative to the directory that holds <c>Pipeline.sln</c>).
/// </summary>
internal static class GrowthBookStandardCases
{
    private static readonly Lazy<JsonObject> Root = new(Load);

    public static JsonArray Section(string name) =>
        Root.Value[name]?.AsArray() ?? throw new InvalidOperationException($"Section '{name}' missing from standard-cases.json.");

    private static JsonObject Load()
    {
        var path = Path.Combine(FindSolutionDirectory(), "..", "shared", "conformance", "growthbook", "standard-cases.json");
        return JsonNode.Parse(File.ReadAllText(path))?.AsObject()
            ?? throw new InvalidOperationException($"{path} is not a JSON object.");
    }

    private static string FindSolutionDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Pipeline.sln above {AppContext.BaseDirectory}.");
    }
}
