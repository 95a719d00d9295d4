using System.Text.Json.Nodes;

namespace Pipeline.Workflows.Definitions;

/// <summary>
/// The training state machine's ASL exactly as <c>cdk synth</c> emits it, with CloudFormation tokens
/// replaced by <see cref="AslExtractor"/>'s placeholders (<c>${Ref:LogicalId}</c>, region us-east-1,
/// account 000000000000). The local States Language interpreter runs this; the infra tests fail when
/// it no longer matches the synthesized template (regenerate with UPDATE_ASL=1).
/// </summary>
public static class TrainingDefinition
{
    public const string ResourceName = "Pipeline.Workflows.Definitions.training.asl.json";

    public static string Json
    {
        get
        {
            using var stream = typeof(TrainingDefinition).Assembly.GetManifestResourceStream(ResourceName)
                ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }

    public static JsonObject Parse() => JsonNode.Parse(Json)!.AsObject();
}
