using System.Text.Json.Nodes;

namespace Pipeline.Workflows.Definitions;

/// <summary>
/// The training state machine's ASL exactly as <c>cdk synth</c> emits it, with CloudFormation tokens
/// replaced by <see cref="AslExtractor"/>'s placeholders (<c>${Ref:LogicalId}</c>, region us-east-1,
/// account 000000000000). The local States Language interpreter runs this; the workflow tests fail when
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

    /// <summary>The state that invokes the metric gate Lambda (TrainingStateMachine.MetricGateState).</summary>
    public const string MetricGateState = "MetricGate";

    /// <summary>
    /// The FunctionName the MetricGate state invokes, as synthesized (a <c>${GetAtt:…Arn}</c> placeholder): the local stack
    /// registers the gate's handler under it, so the committed definition stays the only place that names the function.
    /// </summary>
    public static string MetricGateFunctionName(JsonObject? definition = null) =>
        FindState(definition ?? Parse(), MetricGateState)?["Parameters"]?["FunctionName"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"the training definition has no {MetricGateState} state with a FunctionName");

    /// <summary>The state that invokes the in-house trainer Lambda (TrainingStateMachine.InHouseTrainerState).</summary>
    public const string InHouseTrainerState = "TrainInHouseModels";

    /// <summary>The FunctionName the in-house trainer state invokes, as synthesized (see <see cref="MetricGateFunctionName"/>).</summary>
    public static string InHouseTrainerFunctionName(JsonObject? definition = null) =>
        FindState(definition ?? Parse(), InHouseTrainerState)?["Parameters"]?["FunctionName"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"the training definition has no {InHouseTrainerState} state with a FunctionName");

    /// <summary>The state that asks the online gate for a decision (TrainingStateMachine.OnlineGateState).</summary>
    public const string OnlineGateState = "OnlineGate";

    /// <summary>The FunctionName the online gate's states invoke, as synthesized (see <see cref="MetricGateFunctionName"/>).</summary>
    public static string OnlineGateFunctionName(JsonObject? definition = null) =>
        FindState(definition ?? Parse(), OnlineGateState)?["Parameters"]?["FunctionName"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"the training definition has no {OnlineGateState} state with a FunctionName");

    private static JsonObject? FindState(JsonObject graph, string name)
    {
        foreach (var (stateName, node) in graph["States"]?.AsObject() ?? [])
        {
            if (stateName == name) return node?.AsObject();
            var nested = (node?["Branches"]?.AsArray().Select(b => b!.AsObject()) ?? [])
                .Concat(node?["ItemProcessor"] is JsonObject processor ? [processor] : []);
            foreach (var inner in nested)
            {
                if (FindState(inner, name) is { } found) return found;
            }
        }
        return null;
    }
}
