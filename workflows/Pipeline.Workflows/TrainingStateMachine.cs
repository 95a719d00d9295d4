using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.Events;
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

    /// <summary>The experiments table (partition key experimentKey, variants a list of maps).</summary>
    public required ITable ExperimentsTable { get; init; }

    /// <summary>
    /// The offline metric that gates promotion: the new version replaces the campaign's only if it scores at least as
    /// well on it as the version the campaign serves.
    /// </summary>
    public string PromotionMetric { get; init; } = "normalized_discounted_cumulative_gain_at_10";

    /// <summary>Source of the ModelPromoted event on the default bus.</summary>
    public string EventSource { get; init; } = "pipeline.training";

    /// <summary>Where a failed run is reported.</summary>
    public required ITopic AlertTopic { get; init; }

    /// <summary>Seconds between DescribeSolutionVersion polls; training takes from minutes to hours.</summary>
    public int PollSeconds { get; init; } = 300;

    /// <summary>Polls before the run gives up (default 288 x 5 min = 24 h).</summary>
    public int MaxPollAttempts { get; init; } = 288;

    /// <summary>Seconds between DescribeCampaign polls while a campaign deploys the new version.</summary>
    public int CampaignPollSeconds { get; init; } = 60;

    /// <summary>Campaign polls before the run gives up (default 60 x 1 min = 1 h).</summary>
    public int MaxCampaignPollAttempts { get; init; } = 60;
}

/// <summary>
/// Trains a new version of an Amazon Personalize solution and reads its offline metrics.
/// Input: <c>{"solutionArn": "arn:aws:personalize:...:solution/NAME", "campaignArn"?: "arn:aws:personalize:...:campaign/NAME"}</c>;
/// with a campaignArn the new version is deployed to that campaign (UpdateCampaign) and polled until it serves; with
/// <c>"experiment": {"key": "...", "variantIndex": 1}</c> too, that variant of the experiment is pointed at the campaign
/// (DynamoDB UpdateItem); a deployed version is announced as a <c>ModelPromoted</c> event on the default bus.
/// A failure publishes {stateMachine, execution, solutionArn, failedState, error: {State, Error, Cause}} to the alert topic.
/// Output: the input plus <c>training.solutionVersionArn</c>, <c>poll</c>, <c>version.status</c> and <c>metrics</c>
/// (and <c>campaignPoll</c>, <c>campaign.status</c>, <c>campaign.updateStatus</c> when a campaign was updated).
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
        var campaignArns = new[]
        {
            stack.FormatArn(new ArnComponents { Service = "personalize", Resource = "campaign", ResourceName = $"{props.SolutionNamePrefix}-*" }),
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

        // The gate: the metric of the version the campaign serves now, compared with the new version's.
        var describeServed = new CallAwsService(this, "DescribeServingCampaign", new CallAwsServiceProps
        {
            Service = "personalize",
            Action = "describeCampaign",
            IamAction = "personalize:DescribeCampaign",
            Parameters = new Dictionary<string, object> { ["CampaignArn"] = JsonPath.StringAt("$.campaignArn") },
            IamResources = campaignArns,
            ResultSelector = new Dictionary<string, object> { ["solutionVersionArn"] = JsonPath.StringAt("$.Campaign.SolutionVersionArn") },
            ResultPath = "$.served",
        });
        var servedMetrics = new CallAwsService(this, "GetServedVersionMetrics", new CallAwsServiceProps
        {
            Service = "personalize",
            Action = "getSolutionMetrics",
            IamAction = "personalize:GetSolutionMetrics",
            Parameters = new Dictionary<string, object> { ["SolutionVersionArn"] = JsonPath.StringAt("$.served.solutionVersionArn") },
            IamResources = solutionArns,
            ResultSelector = new Dictionary<string, object>
            {
                ["solutionVersionArn"] = JsonPath.StringAt("$.SolutionVersionArn"),
                ["metric"] = JsonPath.NumberAt($"$.Metrics.{props.PromotionMetric}"),
            },
            ResultPath = "$.served",
        });
        var notPromoted = new Succeed(this, "NotPromoted", new SucceedProps
        {
            Comment = "The new version does not beat the one the campaign serves; the campaign and experiment are unchanged",
        });

        var updateCampaign = new CallAwsService(this, "UpdateCampaign", new CallAwsServiceProps
        {
            Service = "personalize",
            Action = "updateCampaign",
            IamAction = "personalize:UpdateCampaign",
            Parameters = new Dictionary<string, object>
            {
                ["CampaignArn"] = JsonPath.StringAt("$.campaignArn"),
                ["SolutionVersionArn"] = JsonPath.StringAt("$.training.solutionVersionArn"),
            },
            IamResources = campaignArns,
            ResultPath = JsonPath.DISCARD,
        });
        var initCampaignPoll = new Pass(this, "InitCampaignPollCounter", new PassProps
        {
            Result = Result.FromObject(new Dictionary<string, object> { ["attempts"] = 0 }),
            ResultPath = "$.campaignPoll",
        });
        var waitForCampaign = new Wait(this, "WaitForCampaign", new WaitProps
        {
            Time = WaitTime.Duration(Duration.Seconds(props.CampaignPollSeconds)),
        });
        // An update keeps the campaign ACTIVE on the old version; LatestCampaignUpdate.Status tells when the new one serves.
        var describeCampaign = new CallAwsService(this, "DescribeCampaign", new CallAwsServiceProps
        {
            Service = "personalize",
            Action = "describeCampaign",
            IamAction = "personalize:DescribeCampaign",
            Parameters = new Dictionary<string, object> { ["CampaignArn"] = JsonPath.StringAt("$.campaignArn") },
            IamResources = campaignArns,
            ResultSelector = new Dictionary<string, object>
            {
                ["status"] = JsonPath.StringAt("$.Campaign.Status"),
                ["updateStatus"] = JsonPath.StringAt("$.Campaign.LatestCampaignUpdate.Status"),
            },
            ResultPath = "$.campaign",
        });
        var countCampaignPoll = new Pass(this, "CountCampaignPoll", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["attempts"] = JsonPath.MathAdd(JsonPath.NumberAt("$.campaignPoll.attempts"), 1),
            },
            ResultPath = "$.campaignPoll",
        });

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
        var pointVariant = new DynamoUpdateItem(this, "PointExperimentVariant", new DynamoUpdateItemProps
        {
            Table = props.ExperimentsTable,
            Key = new Dictionary<string, DynamoAttributeValue>
            {
                ["experimentKey"] = DynamoAttributeValue.FromString(JsonPath.StringAt("$.experiment.key")),
            },
            UpdateExpression = JsonPath.Format("SET variants[{}].campaign = :campaign", JsonPath.StringAt("$.experiment.variantIndex")),
            ConditionExpression = "attribute_exists(experimentKey)",
            ExpressionAttributeValues = new Dictionary<string, DynamoAttributeValue>
            {
                [":campaign"] = DynamoAttributeValue.FromString(JsonPath.StringAt("$.campaignArn")),
            },
            ResultPath = JsonPath.DISCARD,
        });
        var promoted = new EventBridgePutEvents(this, "EmitModelPromoted", new EventBridgePutEventsProps
        {
            Entries =
            [
                new EventBridgePutEventsEntry
                {
                    EventBus = EventBus.FromEventBusName(this, "DefaultBus", "default"),
                    Source = props.EventSource,
                    DetailType = "ModelPromoted",
                    Detail = TaskInput.FromObject(new Dictionary<string, object>
                    {
                        ["solutionArn"] = JsonPath.StringAt("$.solutionArn"),
                        ["solutionVersionArn"] = JsonPath.StringAt("$.training.solutionVersionArn"),
                        ["campaignArn"] = JsonPath.StringAt("$.campaignArn"),
                        ["metrics"] = JsonPath.StringAt("$.metrics.values"),
                        ["execution"] = JsonPath.StringAt("$$.Execution.Id"),
                    }),
                },
            ],
            ResultPath = JsonPath.DISCARD,
        });
        pointVariant.Next(promoted);
        promoted.Next(succeed);
        var pointExperiment = new Choice(this, "PointExperiment")
            .When(Condition.IsPresent("$.experiment"), pointVariant)
            .Otherwise(promoted);

        var campaignFailed = new Pass(this, "CampaignUpdateFailed", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["State"] = "DescribeCampaign",
                ["Error"] = "Personalize.CampaignUpdateFailed",
                ["Cause"] = JsonPath.Format("Campaign {} update to {} ended in status {}", JsonPath.StringAt("$.campaignArn"), JsonPath.StringAt("$.training.solutionVersionArn"), JsonPath.StringAt("$.campaign.updateStatus")),
            },
            ResultPath = "$.error",
        });
        var campaignPollExhausted = new Pass(this, "CampaignPollAttemptsExhausted", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["State"] = "CheckCampaignStatus",
                ["Error"] = "Pipeline.CampaignTimeout",
                ["Cause"] = JsonPath.Format("Campaign {} not serving {} after {} polls", JsonPath.StringAt("$.campaignArn"), JsonPath.StringAt("$.training.solutionVersionArn"), JsonPath.StringAt("$.campaignPoll.attempts")),
            },
            ResultPath = "$.error",
        });
        versionFailed.Next(notifyAndFail);
        pollExhausted.Next(notifyAndFail);
        campaignFailed.Next(notifyAndFail);
        campaignPollExhausted.Next(notifyAndFail);

        foreach (var (task, name) in new (TaskStateBase Task, string Name)[]
        {
            (createVersion, "CreateSolutionVersion"), (describe, "DescribeSolutionVersion"), (getMetrics, "GetSolutionMetrics"),
            (describeServed, "DescribeServingCampaign"), (servedMetrics, "GetServedVersionMetrics"),
            (updateCampaign, "UpdateCampaign"), (describeCampaign, "DescribeCampaign"),
            (pointVariant, "PointExperimentVariant"), (promoted, "EmitModelPromoted"),
        })
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

        var checkCampaign = new Choice(this, "CheckCampaignStatus")
            .When(Condition.StringEquals("$.campaign.updateStatus", "ACTIVE"), pointExperiment)
            .When(Condition.StringEquals("$.campaign.updateStatus", "CREATE FAILED"), campaignFailed)
            .When(Condition.NumberGreaterThanEquals("$.campaignPoll.attempts", props.MaxCampaignPollAttempts), campaignPollExhausted)
            .Otherwise(waitForCampaign);
        updateCampaign
            .Next(initCampaignPoll)
            .Next(waitForCampaign)
            .Next(describeCampaign)
            .Next(countCampaignPoll)
            .Next(checkCampaign);
        var gate = new Choice(this, "BeatsServedVersion")
            .When(Condition.NumberGreaterThanEqualsJsonPath($"$.metrics.values.{props.PromotionMetric}", "$.served.metric"), updateCampaign)
            .Otherwise(notPromoted);
        describeServed.Next(servedMetrics).Next(gate);
        var deploy = new Choice(this, "DeployToCampaign")
            .When(Condition.IsPresent("$.campaignArn"), describeServed)
            .Otherwise(succeed);

        var checkStatus = new Choice(this, "CheckStatus")
            .When(Condition.StringEquals("$.version.status", "ACTIVE"), getMetrics.Next(deploy))
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
            Comment = "Retrain a Personalize solution version, read its offline metrics and deploy it to the campaign",
            // Upper bound over all polls plus retries, so a stuck run cannot live for the default year.
            Timeout = Duration.Seconds((long)props.PollSeconds * props.MaxPollAttempts + (long)props.CampaignPollSeconds * props.MaxCampaignPollAttempts + 3600),
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
