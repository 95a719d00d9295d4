using System.Text.Json.Nodes;

namespace Pipeline.Testing;

/// <summary>../shared/conformance/stats/reference.json, found from the directory holding Pipeline.sln.</summary>
public static class ReferenceFile
{
    private static readonly Lazy<JsonObject> Document = new(() =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path))!);

    public static string Path
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Pipeline.sln")))
                directory = directory.Parent;
            if (directory is null) throw new InvalidOperationException("Pipeline.sln not found above " + AppContext.BaseDirectory);
            return System.IO.Path.GetFullPath(System.IO.Path.Combine(directory.FullName, "..", "shared", "conformance", "stats", "reference.json"));
        }
    }

    public static JsonObject Root => Document.Value;

    public static JsonArray Cases => (JsonArray)Root["cases"]!;

    public static JsonObject Case(int index) => (JsonObject)Cases[index]!;
}
