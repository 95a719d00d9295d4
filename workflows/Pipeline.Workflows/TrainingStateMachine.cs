using Amazon.CDK;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.StepFunctions;
using Amazon.CDK.AWS.StepFunctions.Tasks;
using Constructs;

namespace Pipeline.Workflows;

public sealed class TrainingStateMachineProps
{
    /// <summary>Solution names this machine may train start with this prefix and a dash; IAM is scoped to it.</summary>
    public required string SolutionNamePrefix { get; init; }

    /// <summary>Where a failed run is reported.</summary>
    public required ITopic AlertTopic { get; init; }

    /// <summary>Seconds between DescribeSolutionVersion polls; training takes from minutes to hours.</summary>
    public int PollSeconds { get; init; } = 300;

    /// <summary>Polls before the run gives up (default 288 x 5 min = 24 h).</summary>
    public int MaxPollAttempts { get; init; } = 288;
}

/// <summary>
/// Trains a new version of an Amazon Personalize solution and reads its offline metrics.
/// Input: <c>{"solutionArn": "arn:aws:personalize:...:solution/NAME"}</c>.
/// A failure publishes {stateMachine, execution, solutionArn, failedState, error: {State, Error, Cause}} to the alert topic.
/// Output: the input plus <c>training.solutionVersionArn</c>, <c>poll</c>, <c>version.status</c> and <c>metrics</c>.
/// Personalize is called through AWS-SDK service integrations: no glue Lambda.
/// </summary>
public sealed class TrainingStateMachine : Construct
{
    /// <summary>Error names Personalize uses when too many requests or jobs run; worth retrying with backoff.</summary>
    public static readonly string[] ThrottlingErrors =
    [
        "Personalize.LimitExceededException",
        "Personalize.ThrottlingException",
        "Personalize.TooManyRequestsException",
    ];

    public StateMachine StateMachine { get; }

    public TrainingStateMachine(Construct scope, string id, TrainingStateMachineProps props) : base(scope, id)
    {
        var stack = Stack.Of(this);
        // Personalize has no dataset-group condition key for solutions, so access is scoped by name prefix:
        // solution/PREFIX-* covers the solutions and their versions (solution/NAME/VERSION-ID).
        var solutionArns = new[]
        {
            stack.FormatArn(new ArnComponents { Service = "personalize", Resource = "solution", ResourceName = $"{props.SolutionNamePrefix}-*" }),
        };

        var createVersion = new CallAwsService(this, "CreateSolutionVersion", new CallAwsServiceProps
        {
            Service = "personalize",
            Action = "createSolutionVersion",
            IamAction = "personalize:CreateSolutionVersion",
            Parameters = new Dictionary<string, object>
            {
                ["SolutionArn"] = JsonPath.StringAt("$.solutionArn"),
                ["TrainingMode"] = "FULL",
            },
            IamResources = solutionArns,
            ResultSelector = new Dictionary<string, object> { ["solutionVersionArn"] = JsonPath.StringAt("$.SolutionVersionArn") },
            ResultPath = "$.training",
        });

        var initPoll = new Pass(this, "InitPollCounter", new PassProps
        {
            Result = Result.FromObject(new Dictionary<string, object> { ["attempts"] = 0 }),
            ResultPath = "$.poll",
        });

        var wait = new Wait(this, "WaitForTraining", new WaitProps
        {
            Time = WaitTime.Duration(Duration.Seconds(props.PollSeconds)),
        });

        var describe = new CallAwsService(this, "DescribeSolutionVersion", new CallAwsServiceProps
        {
            Service = "personalize",
            Action = "describeSolutionVersion",
            IamAction = "personalize:DescribeSolutionVersion",
            Parameters = new Dictionary<string, object> { ["SolutionVersionArn"] = JsonPath.StringAt("$.training.solutionVersionArn") },
            IamResources = solutionArns,
            ResultSelector = new Dictionary<string, object> { ["status"] = JsonPath.StringAt("$.SolutionVersion.Status") },
            ResultPath = "$.version",
        });

        var countPoll = new Pass(this, "CountPoll", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["attempts"] = JsonPath.MathAdd(JsonPath.NumberAt("$.poll.attempts"), 1),
            },
            ResultPath = "$.poll",
        });

        var getMetrics = new CallAwsService(this, "GetSolutionMetrics", new CallAwsServiceProps
        {
            Service = "personalize",
            Action = "getSolutionMetrics",
            IamAction = "personalize:GetSolutionMetrics",
            Parameters = new Dictionary<string, object> { ["SolutionVersionArn"] = JsonPath.StringAt("$.training.solutionVersionArn") },
            IamResources = solutionArns,
            ResultSelector = new Dictionary<string, object> { ["values"] = JsonPath.StringAt("$.Metrics") },
            ResultPath = "$.metrics",
        });

        var succeed = new Succeed(this, "TrainingSucceeded");

        // Every failure path leaves {State, Error, Cause} in $.error, so one notify state and one Fail serve them all.
        var notify = new SnsPublish(this, "NotifyFailure", new SnsPublishProps
        {
            Topic = props.AlertTopic,
            Subject = "Pipeline training failed",
            Message = TaskInput.FromObject(new Dictionary<string, object>
            {
                ["stateMachine"] = JsonPath.StringAt("$$.StateMachine.Name"),
                ["execution"] = JsonPath.StringAt("$$.Execution.Id"),
                ["solutionArn"] = JsonPath.StringAt("$.solutionArn"),
                ["failedState"] = JsonPath.StringAt("$.error.State"),
                ["error"] = JsonPath.StringAt("$.error"),
            }),
            ResultPath = JsonPath.DISCARD,
        });
        var fail = new Fail(this, "TrainingFailed", new FailProps
        {
            ErrorPath = "$.error.Error",
            CausePath = "$.error.Cause",
        });
        // If even the alert cannot be sent, still fail the execution (the status-change rule alerts too).
        notify.AddCatch(fail, new CatchProps { Errors = [Errors.ALL], ResultPath = JsonPath.DISCARD });
        var notifyAndFail = notify.Next(fail);

        var versionFailed = new Pass(this, "SolutionVersionFailed", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["State"] = "DescribeSolutionVersion",
                ["Error"] = "Personalize.SolutionVersionFailed",
                ["Cause"] = JsonPath.Format("Solution version {} ended in status {}", JsonPath.StringAt("$.training.solutionVersionArn"), JsonPath.StringAt("$.version.status")),
            },
            ResultPath = "$.error",
        });
        var pollExhausted = new Pass(this, "PollAttemptsExhausted", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["State"] = "CheckStatus",
                ["Error"] = "Pipeline.TrainingTimeout",
                ["Cause"] = JsonPath.Format("Solution version {} not ACTIVE after {} polls", JsonPath.StringAt("$.training.solutionVersionArn"), JsonPath.StringAt("$.poll.attempts")),
            },
            ResultPath = "$.error",
        });
        versionFailed.Next(notifyAndFail);
        pollExhausted.Next(notifyAndFail);

        foreach (var (task, name) in new[] { (createVersion, "CreateSolutionVersion"), (describe, "DescribeSolutionVersion"), (getMetrics, "GetSolutionMetrics") })
        {
            task.AddRetry(new RetryProps
            {
                Errors = ThrottlingErrors,
                Interval = Duration.Seconds(5),
                BackoffRate = 2,
                MaxAttempts = 6,
                MaxDelay = Duration.Seconds(120),
                JitterStrategy = JitterType.FULL,
            });
            // The catcher's {Error, Cause} plus the name of the state that failed, which $$ does not carry.
            var recordFailure = new Pass(this, name + "Error", new PassProps
            {
                Parameters = new Dictionary<string, object>
                {
                    ["State"] = name,
                    ["Error"] = JsonPath.StringAt("$.error.Error"),
                    ["Cause"] = JsonPath.StringAt("$.error.Cause"),
                },
                ResultPath = "$.error",
            });
            recordFailure.Next(notifyAndFail);
            task.AddCatch(recordFailure, new CatchProps { Errors = [Errors.ALL], ResultPath = "$.error" });
        }

        var checkStatus = new Choice(this, "CheckStatus")
            .When(Condition.StringEquals("$.version.status", "ACTIVE"), getMetrics.Next(succeed))
            .When(Condition.Or(
                    Condition.StringEquals("$.version.status", "CREATE FAILED"),
                    Condition.StringEquals("$.version.status", "CREATE STOPPED")),
                versionFailed)
            .When(Condition.NumberGreaterThanEquals("$.poll.attempts", props.MaxPollAttempts), pollExhausted)
            .Otherwise(wait);

        var definition = createVersion
            .Next(initPoll)
            .Next(wait)
            .Next(describe)
            .Next(countPoll)
            .Next(checkStatus);

        StateMachine = new StateMachine(this, "Resource", new StateMachineProps
        {
            DefinitionBody = DefinitionBody.FromChainable(definition),
            StateMachineType = StateMachineType.STANDARD,
            Comment = "Retrain a Personalize solution version and read its offline metrics",
            // Upper bound over all polls plus retries, so a stuck run cannot live for the default year.
            Timeout = Duration.Seconds((long)props.PollSeconds * props.MaxPollAttempts + 3600),
            // Tracing and log delivery add xray:* Put/Get and logs:*LogDelivery actions on Resource "*":
            // those APIs have no resource-level permissions (CDK generates the statement).
            TracingEnabled = true,
            Logs = new LogOptions
            {
                Destination = new LogGroup(this, "Logs", new LogGroupProps
                {
                    Retention = RetentionDays.ONE_MONTH,
                    RemovalPolicy = RemovalPolicy.DESTROY,
                }),
                Level = LogLevel.ERROR,
                IncludeExecutionData = false,
            },
        });
    }
}
