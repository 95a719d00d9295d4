using System.Text.Json.Nodes;

namespace Pipeline.Workflows.Definitions;

/// <summary>
/// The nightly retraining rule as <c>cdk synth</c> emits it (with cdk.json's context): its EventBridge schedule
/// expression and the input its target starts the training machine with, tokens resolved as in
/// <see cref="AslExtractor"/>. The local scheduler in <c>pipeline up</c> runs this, so the schedule has one source: the
/// workflow tests fail when the committed file differs from a fresh synth (regenerate with UPDATE_ASL=1).
/// </summary>
public sealed record TrainingScheduleDefinition(string ScheduleExpression, JsonObject Input)
{
    public const string ResourceName = "Pipeline.Workflows.Definitions.training-schedule.json";

    /// <summary>Reads the rule whose target is the training machine out of a synthesized service template.</summary>
    public static TrainingScheduleDefinition FromTemplate(JsonNode template, string stateMachineLogicalIdPrefix)
    {
        var rules = template["Resources"]!.AsObject()
            .Select(r => r.Value!)
            .Where(r => (string?)r["Type"] == "AWS::Events::Rule" && r["Properties"]?["ScheduleExpression"] is not null)
            .Select(r => (Expression: (string)r["Properties"]!["ScheduleExpression"]!, Target: r["Properties"]!["Targets"]![0]!))
            .Where(r => ((string?)r.Target["Arn"]?["Ref"])?.StartsWith(stateMachineLogicalIdPrefix, StringComparison.Ordinal) == true)
            .ToList();
        if (rules.Count != 1) throw new InvalidOperationException($"expected one scheduled rule targeting {stateMachineLogicalIdPrefix}*, found {rules.Count}");
        var input = JsonNode.Parse(AslExtractor.Resolve(rules[0].Target["Input"]))!.AsObject();
        return new TrainingScheduleDefinition(rules[0].Expression, input);
    }

    public JsonObject ToJson() => new() { ["ScheduleExpression"] = ScheduleExpression, ["Input"] = Input.DeepClone() };

    public static TrainingScheduleDefinition Parse(string json)
    {
        var node = JsonNode.Parse(json)!;
        return new TrainingScheduleDefinition((string)node["ScheduleExpression"]!, node["Input"]!.AsObject().DeepClone().AsObject());
    }

    /// <summary>The committed copy embedded in this assembly.</summary>
    public static TrainingScheduleDefinition Load()
    {
        using var stream = typeof(TrainingScheduleDefinition).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}
