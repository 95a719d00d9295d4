using System.Text.Json.Nodes;

namespace Pipeline.StatesLanguage.Tests.Conformance;

/// <summary>
/// One definition of Conformance/Definitions (NAME.asl.json) with one of its inputs (NAME.inputs.json, an array).
/// The same files are checked by asl-validator.
/// </summary>
public sealed record DifferentialCase(string Name, int InputIndex, string Definition, string Input)
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Conformance", "Definitions");

    public string Id => $"{Name}#{InputIndex}";

    public static IEnumerable<DifferentialCase> All()
    {
        foreach (var path in System.IO.Directory.GetFiles(Directory, "*.asl.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path)[..^".asl.json".Length];
            var inputs = JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, name + ".inputs.json")))!.AsArray();
            for (var i = 0; i < inputs.Count; i++)
            {
                yield return new DifferentialCase(name, i, File.ReadAllText(path), inputs[i]!.ToJsonString());
            }
        }
    }

    public override string ToString() => Id;
}
