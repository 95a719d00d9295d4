using Amazon.CDK.AWS.StepFunctions;
using Amazon.CDK.AWS.StepFunctions.Tasks;

namespace Pipeline.Workflows;

/// <summary>
/// The in-house models: after the imports and before the Personalize solutions, the trainer Lambda trains the engine's
/// fallback recipes from the same import (or, without one, from the file the served models came from) and writes them
/// to the data bucket, where the API picks them up by manifest. It answers <c>{status: TRAINED|SKIPPED, version, models,
/// reason, error}</c>; an <c>error</c> (or a failed invoke) ends the run in NotifyFailure/TrainingFailed like any failure.
/// </summary>
public sealed partial class TrainingStateMachine
{
    /// <summary>The Task state that invokes the in-house trainer (the local stack registers its handler under that state's FunctionName).</summary>
    public const string InHouseTrainerState = Definitions.TrainingDefinition.InHouseTrainerState;

    private LambdaInvoke TrainInHouseModels(IChainable next, IChainable notifyAndFail)
    {
        var failed = new Pass(this, "InHouseTrainingFailed", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["State"] = InHouseTrainerState,
                ["Error"] = JsonPath.StringAt("$.inHouse.error"),
                ["Cause"] = JsonPath.StringAt("$.inHouse.reason"),
            },
            ResultPath = "$.error",
        });
        failed.Next(notifyAndFail);
        var train = new LambdaInvoke(this, InHouseTrainerState, new LambdaInvokeProps
        {
            LambdaFunction = _props.InHouseTrainer,
            Payload = TaskInput.FromObject(new Dictionary<string, object>
            {
                ["dataset_group"] = JsonPath.StringAt("$.dataset_group"),
                // Always present: the defaults give import at least {mode}.
                ["import"] = JsonPath.StringAt("$.import"),
            }),
            ResultSelector = new Dictionary<string, object>
            {
                ["status"] = JsonPath.StringAt("$.Payload.status"),
                ["version"] = JsonPath.StringAt("$.Payload.version"),
                ["models"] = JsonPath.StringAt("$.Payload.models"),
                ["reason"] = JsonPath.StringAt("$.Payload.reason"),
                ["error"] = JsonPath.StringAt("$.Payload.error"),
            },
            ResultPath = "$.inHouse",
        });
        // Lambda's own transient errors are retried by LambdaInvoke's default retrier; anything else fails the run.
        train.AddCatch(RecordError(InHouseTrainerState, notifyAndFail), new CatchProps { Errors = [Errors.ALL], ResultPath = "$.error" });
        train.Next(new Choice(this, "InHouseModelsTrained")
            .When(Condition.IsString("$.inHouse.error"), failed)
            .Otherwise(next));
        return train;
    }
}
