using System.Text.Json.Nodes;

namespace Pipeline.Cli.Tests;

/// <summary>
/// The local CLI reads the synthesized workflow definitions, not the CDK constructs that synthesize them: its dependency
/// closure (pipeline.deps.json, copied next to the tests with pipeline.dll) holds no Amazon.CDK.*, Amazon.JSII.* or
/// Constructs package, which alone were ~95 MB of its 137 MB build output and loaded nothing it ran (#19).
/// </summary>
public sealed class CliDependenciesTests
{
    private static readonly string[] CdkPrefixes = ["Amazon.CDK", "Amazon.JSII", "Constructs/"];

    private static JsonObject Libraries =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "pipeline.deps.json")))!["libraries"]!.AsObject();

    [Fact]
    public void CliDependencyClosure_HasNoCdkPackage()
    {
        var names = Libraries.Select(library => library.Key).ToList();

        // The closure is read for real: the local workflow runner and the definitions it runs are in it...
        Assert.Contains(names, name => name.StartsWith("Pipeline.Workflows.Local/", StringComparison.Ordinal));
        Assert.Contains(names, name => name.StartsWith("Pipeline.Workflows.Definitions/", StringComparison.Ordinal));
        // ...and neither the CDK constructs project nor anything it pulls in.
        Assert.DoesNotContain(names, name => name.StartsWith("Pipeline.Workflows/", StringComparison.Ordinal));
        Assert.DoesNotContain(names, name => CdkPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)));
    }
}
