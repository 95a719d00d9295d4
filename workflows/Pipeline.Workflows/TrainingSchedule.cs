using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;

namespace Pipeline.Workflows;

public sealed class TrainingScheduleProps
{
    public required IStateMachine StateMachine { get; init; }

    /// <summary>An EventBridge schedule expression, e.g. <c>cron(0 3 * * ? *)</c> (UTC).</summary>
    public required string ScheduleExpression { get; init; }

    /// <summary>The execution input, e.g. <c>{"solutionArn": "..."}</c>.</summary>
    public required IDictionary<string, object> Input { get; init; }
}

/// <summary>Starts the training machine on a schedule (nightly retraining by default).</summary>
public sealed class TrainingSchedule : Construct
{
    public Rule Rule { get; }

    /// <summary>The expression the rule was given: what others that must agree with it (the API's next-run) read.</summary>
    public string ScheduleExpression { get; }

    /// <summary>The execution input the rule sends.</summary>
    public IDictionary<string, object> Input { get; }

    public TrainingSchedule(Construct scope, string id, TrainingScheduleProps props) : base(scope, id)
    {
        ScheduleExpression = props.ScheduleExpression;
        Input = props.Input;
        Rule = new Rule(this, "Rule", new RuleProps
        {
            Description = "Retrains the Personalize solution on a schedule",
            Schedule = Schedule.Expression(props.ScheduleExpression),
        });
        // The target gets its own role with states:StartExecution on this machine only.
        Rule.AddTarget(new SfnStateMachine(props.StateMachine, new SfnStateMachineProps
        {
            Input = RuleTargetInput.FromObject(props.Input),
            RetryAttempts = 3,
        }));
    }
}
