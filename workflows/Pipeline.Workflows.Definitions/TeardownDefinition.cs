using System.Text.Json.Nodes;

namespace Pipeline.Workflows.Definitions;

/// <summary>
/// The teardown state machine's ASL exactly as <c>cdk synth</c> emits it (placeholders as in
/// <see cref="TrainingDefinition"/>). The local interpreter runs this; the workflow tests fail when it no longer matches
/// the synthesized template (regenerate with UPDATE_ASL=1).
/// </summary>
public static class TeardownDefinition
{
    public const string ResourceName = "Pipeline.Workflows.Definitions.teardown.asl.json";

    public static string Json
    {
        get
        {
            using var stream = typeof(TeardownDefinition).Assembly.GetManifestResourceStream(ResourceName)
                ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }

    public static JsonObject Parse() => JsonNode.Parse(Json)!.AsObject();
}
