using System.Text.Json.Nodes;

namespace Pipeline.Personalize.Local.Resources;

public sealed class BatchInferenceJobResource : Resource
{
    public override string Arn => BatchInferenceJobArn;

    public required string JobName { get; set; }
    public required string BatchInferenceJobArn { get; set; }
    public string? FilterArn { get; set; }
    public required string SolutionVersionArn { get; set; }
    public int NumResults { get; set; } = 25;
    public required JsonObject JobInput { get; set; }
    public required JsonObject JobOutput { get; set; }
    public JsonObject? BatchInferenceJobConfig { get; set; }
    public string? RoleArn { get; set; }
    public string BatchInferenceJobMode { get; set; } = "BATCH_INFERENCE";
}
