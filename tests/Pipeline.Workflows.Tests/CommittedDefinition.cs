using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Workflows.Tests;

/// <summary>
/// The local runs read the definitions committed in Pipeline.Workflows.Definitions, so each must be what `cdk synth`
/// deploys: the file as written (UPDATE_ASL=1 rewrites it) and the copy embedded in that assembly.
/// </summary>
internal static class CommittedDefinition
{
    // Relaxed escaping keeps States.Format('...') readable in the committed files (no \u0027).
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void AssertMatches(string repoRoot, string fileName, JsonNode synthesized, JsonNode embedded)
    {
        var path = Path.Combine(repoRoot, "workflows", "Pipeline.Workflows.Definitions", fileName);
        var current = synthesized.ToJsonString(Indented) + "\n";
        if (Environment.GetEnvironmentVariable("UPDATE_ASL") == "1")
        {
            File.WriteAllText(path, current);
        }
        Assert.True(current == File.ReadAllText(path),
            $"{fileName} is stale: run `UPDATE_ASL=1 dotnet test tests/Pipeline.Workflows.Tests` and commit it");
        Assert.True(JsonNode.DeepEquals(synthesized, embedded), "the embedded copy differs: rebuild Pipeline.Workflows.Definitions");
    }
}
