using Amazon.CDK;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Constructs;
using Pipeline.DeploymentContract;
using Pipeline.Workflows;

namespace Pipeline.Infra;

/// <summary>
/// The stateless part of the system: alerts, API, events pipeline, training workflow and monitoring.
/// One stack so the constructs can reference each other without cross-stack exports (only the data
/// stack's names and ARNs are imported).
/// </summary>
public sealed class ServiceStack : Stack
{
    public Topic AlertTopic { get; }
    public ApiConstruct Api { get; }
    public EventsConstruct Events { get; }
    public MetricGateConstruct MetricGate { get; }
    public BanditUpdaterConstruct BanditUpdater { get; }
    public OnlineGateConstruct OnlineGate { get; }
    public TrainerConstruct InHouseTrainer { get; }
    public TrainingStateMachine Training { get; }
    public TeardownStateMachine Teardown { get; }
    public MonitoringConstruct Monitoring { get; }

    public ServiceStack(Construct scope, string id, PipelineConfig config, DataStack data, string repoRoot, IStackProps? props = null)
        : base(scope, id, props)
    {
        // Not KMS-encrypted: EventBridge and CloudWatch can only publish to an encrypted topic with a
        // customer-managed key (the AWS-managed SNS key's policy does not admit them).
        AlertTopic = new Topic(this, "AlertTopic", new TopicProps
        {
            DisplayName = $"{config.ProjectName} alerts",
            EnforceSSL = true,
        });
        // A topic policy replaces SNS's default one (which admits the account's own principals), and CDK writes one as soon
        // as anything adds a statement (the EventBridge failure rule does). CloudWatch alarms publish as
        // cloudwatch.amazonaws.com: without this statement their actions fail "not authorized". The state machines publish
        // with their roles' identity policies (same account), EventBridge through the statement its target adds.
        AlertTopic.AddToResourcePolicy(new Amazon.CDK.AWS.IAM.PolicyStatement(new Amazon.CDK.AWS.IAM.PolicyStatementProps
        {
            Sid = "CloudWatchAlarmsPublish",
            Principals = [new Amazon.CDK.AWS.IAM.ServicePrincipal("cloudwatch.amazonaws.com")],
            Actions = ["sns:Publish"],
            Resources = [AlertTopic.TopicArn],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Aws.ACCOUNT_ID },
                ["ArnLike"] = new Dictionary<string, object> { ["aws:SourceArn"] = FormatArn(new ArnComponents { Service = "cloudwatch", Resource = "alarm", ResourceName = "*", ArnFormat = ArnFormat.COLON_RESOURCE_NAME }) },
            },
        }));
        if (config.AlertEmail is { } email)
        {
            AlertTopic.AddSubscription(new EmailSubscription(email));
        }

        Events = new EventsConstruct(this, "Events", config);
        Events.AddConsumer(config, data, repoRoot);
        Api = new ApiConstruct(this, "Api", config, data, Events.Queue, repoRoot);

        MetricGate = new MetricGateConstruct(this, "MetricGate", config, repoRoot);
        BanditUpdater = new BanditUpdaterConstruct(this, "BanditUpdater", config, data, repoRoot);
        InHouseTrainer = new TrainerConstruct(this, "InHouseTrainer", config, data, repoRoot);
        OnlineGate = new OnlineGateConstruct(this, "OnlineGate", config, data, repoRoot);
        Training = new TrainingStateMachine(this, "Training", new TrainingStateMachineProps
        {
            NamePrefix = config.ProjectName,
            MetricGate = MetricGate.Function,
            InHouseTrainer = InHouseTrainer.Function,
            OnlineGate = OnlineGate.Function,
            AlertTopic = AlertTopic,
            ExperimentsTable = data.Experiments,
            PersonalizeRole = data.PersonalizeRole,
            DatasetSchemas = PersonalizeSchemas.ByDatasetType,
            TrainingPoll = new PollSettings(Math.Min(60, config.TrainingPollSeconds), config.TrainingPollSeconds, config.TrainingMaxPollAttempts),
        });
        // The nightly run retrains the project's dataset group (named like the project, so IAM's prefix covers it).
        var nightlyInput = TrainingInput.Nightly(config.ProjectName, config.TrainingExperiment);
        var nightly = new TrainingSchedule(this, "TrainingSchedule", new TrainingScheduleProps
        {
            StateMachine = Training.StateMachine,
            ScheduleExpression = config.RetrainingSchedule,
            Input = nightlyInput,
        });
        // Deletes a dataset group and everything in it before `cdk destroy` (Personalize resources are not in the stacks).
        Teardown = new TeardownStateMachine(this, "Teardown", new TeardownStateMachineProps
        {
            ResourceNamePrefix = config.ProjectName,
            AlertTopic = AlertTopic,
        });
        new ExecutionFailureAlerts(this, "WorkflowFailureAlerts", AlertTopic, Training.StateMachine, Teardown.StateMachine);
        Api.ReadWorkflows(Training.StateMachine, Teardown.StateMachine, nightly);

        Monitoring = new MonitoringConstruct(this, "Monitoring", config, AlertTopic, Api, Events, Training.StateMachine, Teardown.StateMachine);

        new CfnOutput(this, "ApiEndpoint", new CfnOutputProps { Value = Api.Api.Url, Description = "Base URL of the API (stage v1)" });
        new CfnOutput(this, "AdminAccessPolicyArn", new CfnOutputProps { Value = Api.AdminAccess.ManagedPolicyArn, Description = "Attach to whoever calls the admin routes (SigV4-signed)" });
        new CfnOutput(this, "ApiKeyId", new CfnOutputProps { Value = Api.ApiKey.KeyId, Description = "aws apigateway get-api-key --include-value --api-key <id>" });
        new CfnOutput(this, "TrainingStateMachineArn", new CfnOutputProps { Value = Training.StateMachine.StateMachineArn });
        new CfnOutput(this, "TeardownStateMachineArn", new CfnOutputProps { Value = Teardown.StateMachine.StateMachineArn });
        new CfnOutput(this, "AlertTopicArn", new CfnOutputProps { Value = AlertTopic.TopicArn });
        new CfnOutput(this, "EventsQueueUrl", new CfnOutputProps { Value = Events.Queue.QueueUrl });
        new CfnOutput(this, "DashboardName", new CfnOutputProps { Value = Monitoring.Dashboard.DashboardName });
    }
}
