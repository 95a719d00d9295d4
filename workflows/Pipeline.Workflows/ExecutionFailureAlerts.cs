using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.StepFunctions;
using Amazon.JSII.Runtime.Deputy;
using Constructs;
using Pipeline.Domain.Workflows;

namespace Pipeline.Workflows;

/// <summary>
/// Sends an alert for every execution of the given state machines that ends FAILED, TIMED_OUT or
/// ABORTED (<see cref="WorkflowAlerts.FailedStatuses"/>, which the API's console also lists executions by).
/// This also covers failures the machine cannot report itself (timeouts, aborts).
/// </summary>
public sealed class ExecutionFailureAlerts : Construct
{
    public static readonly string[] FailedStatuses = [.. WorkflowAlerts.FailedStatuses];

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
        Rule.AddTarget(new TopicTarget(topic, RuleTargetInput.FromText(
            $"Execution {EventField.FromPath("$.detail.name")} of {EventField.FromPath("$.detail.stateMachineArn")} " +
            $"ended {EventField.FromPath("$.detail.status")}: {EventField.FromPath("$.detail.error")} {EventField.FromPath("$.detail.cause")}")));
    }

    /// <summary>
    /// CDK's SnsTopic target admits every EventBridge rule of every account to the topic; this one admits this rule only
    /// (aws:SourceArn, the confused-deputy condition the SNS and EventBridge guides recommend for service principals).
    /// </summary>
    private sealed class TopicTarget(ITopic topic, RuleTargetInput message) : DeputyBase, IRuleTarget
    {
        public IRuleTargetConfig Bind(IRule rule, string? id = null)
        {
            topic.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "FailureRulePublish",
                Principals = [new ServicePrincipal("events.amazonaws.com")],
                Actions = ["sns:Publish"],
                Resources = [topic.TopicArn],
                Conditions = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Aws.ACCOUNT_ID },
                    ["ArnEquals"] = new Dictionary<string, object> { ["aws:SourceArn"] = rule.RuleArn },
                },
            }));
            return new RuleTargetConfig { Arn = topic.TopicArn, Input = message };
        }
    }
}
