using Amazon.CDK.AWS.StepFunctions;
using Amazon.CDK.AWS.StepFunctions.Tasks;

namespace Pipeline.Workflows;

public sealed partial class TrainingStateMachine
{
    /// <summary>The Task state that invokes the metric gate Lambda (the local stack registers its handler under that state's FunctionName).</summary>
    public const string MetricGateState = Definitions.TrainingDefinition.MetricGateState;

    /// <summary>
    /// Reads what the campaign serves and its metrics, then asks the MetricGate Lambda whether the new version is promoted.
    /// Returns the first state (DescribeServingCampaign).
    /// </summary>
    private IChainable MetricGate(IChainable createCampaign, IChainable updateCampaign, IChainable failed)
    {
        // The gate: a Lambda computes candidate >= served + min_improvement (JSONPath ASL has no decimal arithmetic).
        // Its answer decides between updating the served campaign, creating the first one and keeping what serves.
        var notPromoted = new Pass(this, "NotPromoted", new PassProps
        {
            Comment = "The new version does not beat the served one by min_improvement: campaign and experiment are unchanged",
            Parameters = new Dictionary<string, object>
            {
                ["recipe"] = JsonPath.StringAt("$.recipe"),
                ["status"] = "NOT_PROMOTED",
                ["reason"] = JsonPath.StringAt("$.gate.reason"),
                ["solutionVersionArn"] = JsonPath.StringAt("$.training.solutionVersionArn"),
                ["servedSolutionVersionArn"] = JsonPath.StringAt("$.served.solutionVersionArn"),
                ["metrics"] = JsonPath.StringAt("$.metrics.values"),
                ["servedMetrics"] = JsonPath.StringAt("$.servedMetrics.values"),
            },
        });
        var gateFailed = new Pass(this, "MetricGateFailed", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["State"] = MetricGateState,
                ["Error"] = JsonPath.StringAt("$.gate.error"),
                ["Cause"] = JsonPath.StringAt("$.gate.reason"),
            },
            ResultPath = "$.error",
        });
        gateFailed.Next(failed);
        var decision = new Choice(this, "GateDecision")
            .When(Condition.IsString("$.gate.error"), gateFailed)
            .When(Condition.And(Condition.BooleanEquals("$.gate.promote", true), Condition.IsPresent("$.served")), updateCampaign)
            .When(Condition.BooleanEquals("$.gate.promote", true), createCampaign)
            .Otherwise(notPromoted);
        var gate = new LambdaInvoke(this, MetricGateState, new LambdaInvokeProps
        {
            LambdaFunction = _props.MetricGate,
            Payload = TaskInput.FromObject(new Dictionary<string, object>
            {
                ["metric"] = JsonPath.StringAt("$.config.promote_if.metric"),
                ["min_improvement"] = JsonPath.NumberAt("$.config.promote_if.min_improvement"),
                ["candidate"] = JsonPath.StringAt("$.metrics.values"),
                ["served"] = JsonPath.StringAt("$.servedMetrics.values"),
            }),
            ResultSelector = new Dictionary<string, object>
            {
                ["promote"] = JsonPath.StringAt("$.Payload.promote"),
                ["reason"] = JsonPath.StringAt("$.Payload.reason"),
                ["error"] = JsonPath.StringAt("$.Payload.error"),
            },
            ResultPath = "$.gate",
        });
        // Lambda's own transient errors are retried by LambdaInvoke's default retrier; anything else fails the recipe.
        gate.AddCatch(RecordError(MetricGateState, failed), new CatchProps { Errors = [Errors.ALL], ResultPath = "$.error" });
        gate.Next(decision);

        var servedMetrics = Guard(Personalize("GetServedVersionMetrics", "getSolutionMetrics",
            new() { ["SolutionVersionArn"] = JsonPath.StringAt("$.served.solutionVersionArn") }, "solution",
            new() { ["values"] = JsonPath.StringAt("$.Metrics") }, "$.servedMetrics"), failed);
        servedMetrics.Next(gate);
        // No campaign yet: nothing is served, so the gate gets served = null (and promotes).
        var nothingServed = new Pass(this, "NothingServed", new PassProps
        {
            // CDK drops a null member of Result (and jsii cannot pass its intrinsic tokens inside a map), so the null comes
            // from the intrinsic written as ASL: {"values": null}.
            Parameters = new Dictionary<string, object> { ["values.$"] = "States.StringToJson('null')" },
            ResultPath = "$.servedMetrics",
        });
        nothingServed.Next(gate);
        var describeServing = Personalize("DescribeServingCampaign", "describeCampaign",
            new() { ["CampaignArn"] = JsonPath.StringAt("$.names.campaignArn") }, "campaign",
            new() { ["solutionVersionArn"] = JsonPath.StringAt("$.Campaign.SolutionVersionArn") }, "$.served");
        describeServing.AddCatch(nothingServed, new CatchProps { Errors = [PersonalizeErrors.ResourceNotFound], ResultPath = JsonPath.DISCARD });
        Guard(describeServing, failed).Next(servedMetrics);
        return describeServing;
    }
}
