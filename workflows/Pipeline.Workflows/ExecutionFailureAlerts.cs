using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;

namespace Pipeline.Workflows;

/// <summary>
/// Sends an alert for every execution of the given state machines that ends FAILED, TIMED_OUT or
/// ABORTED. This also covers failures the machine cannot report itself (timeouts, aborts).
/// </summary>
public sealed class ExecutionFailureAlerts : Construct
{
    public static readonly string[] FailedStatuses = ["FAILED", "TIMED_OUT", "ABORTED"];

    public Rule Rule { get; }

    public ExecutionFailureAlerts(Construct scope, string id, ITopic topic, params IStateMachine[] stateMachines) : base(scope, id)
    {
        Rule = new Rule(this, "Rule", new RuleProps
        {
            Description = "Step Functions executions that did not succeed",
            EventPattern = new EventPattern
            {
                Source = ["aws.states"],
                DetailType = ["Step Functions Execution Status Change"],
                Detail = new Dictionary<string, object>
                {
                    ["status"] = FailedStatuses,
                    ["stateMachineArn"] = stateMachines.Select(m => m.StateMachineArn).ToArray(),
                },
            },
        });
        Rule.AddTarget(new SnsTopic(topic, new SnsTopicProps
        {
            Message = RuleTargetInput.FromText(
                $"Execution {EventField.FromPath("$.detail.name")} of {EventField.FromPath("$.detail.stateMachineArn")} " +
                $"ended {EventField.FromPath("$.detail.status")}: {EventField.FromPath("$.detail.error")} {EventField.FromPath("$.detail.cause")}"),
        }));
    }
}
