using Amazon.CDK;
using Amazon.CDK.AWS.StepFunctions;
using Amazon.CDK.AWS.StepFunctions.Tasks;

namespace Pipeline.Workflows;

public sealed partial class TrainingStateMachine
{
    /// <summary>
    /// Nightly runs start 24 h apart and one may last up to the machine's timeout (about 34 h), and a run can be started
    /// by hand at any time: a run that finds an older RUNNING execution of this machine ends SUCCEEDED with
    /// <c>{"status": "SKIPPED"}</c> and no alert, instead of importing into and training the same group beside it.
    /// The oldest running execution goes on (ListExecutions lists the newest first), so of two runs started together
    /// exactly one trains. A deployment's machine trains the project's group, so one run per machine is one per group.
    /// </summary>
    private IChainable SkipWhileAnEarlierRunIsActive(IChainable next, IChainable notifyAndFail)
    {
        var executions = JsonPath.ListAt("$.Executions");
        var list = Guard(new CallAwsService(this, "FindRunningExecutions", new CallAwsServiceProps
        {
            Service = "sfn",
            Action = "listExecutions",
            IamAction = "states:ListExecutions",
            IamResources = [_stack.FormatArn(new ArnComponents
            {
                Service = "states", Resource = "stateMachine", ResourceName = MachineName(_props.NamePrefix), ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
            })],
            Parameters = new Dictionary<string, object>
            {
                ["StateMachineArn"] = JsonPath.StringAt("$$.StateMachine.Id"),
                ["StatusFilter"] = "RUNNING",
                ["MaxResults"] = 1000,
            },
            ResultSelector = new Dictionary<string, object>
            {
                ["oldest"] = JsonPath.ArrayGetItem(executions, Token.AsNumber(JsonPath.MathAdd(Token.AsNumber(JsonPath.ArrayLength(executions)), -1))),
                ["self"] = JsonPath.StringAt("$$.Execution.Id"),
            },
            ResultPath = "$.runs",
        }), notifyAndFail, ThrottlingErrors.StepFunctions);
        var skipped = new Pass(this, "EarlierRunActive", new PassProps
        {
            Comment = "Another run is training: not a failure, so no alert",
            Parameters = new Dictionary<string, object>
            {
                ["status"] = "SKIPPED",
                ["reason"] = "an earlier run of this state machine is still running",
                ["dataset_group"] = JsonPath.StringAt("$.dataset_group"),
                ["running"] = JsonPath.StringAt("$.runs.oldest.ExecutionArn"),
            },
        });
        skipped.Next(new Succeed(this, "SkippedForEarlierRun"));
        list.Next(new Choice(this, "IsOldestRun")
            .When(Condition.StringEqualsJsonPath("$.runs.oldest.ExecutionArn", "$.runs.self"), next)
            .Otherwise(skipped));
        return list;
    }
}
