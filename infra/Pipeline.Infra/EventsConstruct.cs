using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.EventSources;
using Amazon.CDK.AWS.SQS;
using Constructs;
using Pipeline.DeploymentContract;

namespace Pipeline.Infra;

/// <summary>
/// Interaction events: the API enqueues them, a consumer Lambda stores them, updates aggregates,
/// forwards them to Personalize and archives them in S3. Poison messages go to a DLQ after 5 receives.
/// </summary>
public sealed class EventsConstruct : Construct
{
    private static readonly Duration ConsumerTimeout = Duration.Seconds(60);

    public Queue Queue { get; }
    public Queue DeadLetterQueue { get; }
    public Function Consumer { get; private set; } = null!;

    public EventsConstruct(Construct scope, string id, PipelineConfig config) : base(scope, id)
    {
        DeadLetterQueue = new Queue(this, "DeadLetterQueue", new QueueProps
        {
            RetentionPeriod = Duration.Days(14),
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
        });
        Queue = new Queue(this, "Queue", new QueueProps
        {
            // AWS recommends at least 6x the consumer timeout so in-flight batches are not redelivered.
            VisibilityTimeout = Duration.Seconds(ConsumerTimeout.ToSeconds() * 6),
            RetentionPeriod = Duration.Days(4),
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            DeadLetterQueue = new DeadLetterQueue { Queue = DeadLetterQueue, MaxReceiveCount = 5 },
        });
    }

    /// <summary>The consumer needs the data stack; it is wired after the queue exists because the API needs the queue too.</summary>
    public void AddConsumer(PipelineConfig config, DataStack data, string repoRoot)
    {
        var environment = LambdaPackaging.WebAdapterEnvironment();
        // The Web Adapter POSTs non-HTTP events (the SQS batch) to this path of the app.
        environment[EnvironmentVariables.PassThroughPath] = PassThroughPaths.EventsConsumer;
        // An unhandled error must fail the invocation, so Lambda keeps the batch (see LambdaPackaging.WebAdapterEnvironment).
        environment[EnvironmentVariables.ErrorStatusCodes] = WebAdapter.FailingStatusCodes;
        environment[EnvironmentVariables.Mode] = PipelineModes.Aws;
        environment[EnvironmentVariables.Role] = PipelineRoles.EventsConsumer;
        environment[EnvironmentVariables.EventsTable] = data.Events.TableName;
        environment[EnvironmentVariables.AggregatesTable] = data.Aggregates.TableName;
        environment[EnvironmentVariables.ExposuresTable] = data.Exposures.TableName;
        environment[EnvironmentVariables.DataBucket] = data.DataBucket.BucketName;
        if (config.PersonalizeTrackingId is { } trackingId)
        {
            environment[EnvironmentVariables.PersonalizeTrackingId] = trackingId;
        }

        // The same app as the API (one publish): the Web Adapter hands the SQS batch to PassThroughPaths.EventsConsumer,
        // which answers {"batchItemFailures": [...]} so only failed messages are retried.
        Consumer = LambdaPackaging.WebAdapterFunction(this, "Consumer", config, repoRoot,
            "Pipeline events consumer (SQS -> DynamoDB, Personalize, S3)", ConsumerTimeout, environment);
        Consumer.AddEventSource(new SqsEventSource(Queue, new SqsEventSourceProps
        {
            BatchSize = 10,
            MaxBatchingWindow = Duration.Seconds(5),
            ReportBatchItemFailures = true,
        }));

        // Events, and the exposures the API queues with them: stored, attributed and added to the experiment aggregates.
        data.Events.GrantReadWriteData(Consumer);
        data.Aggregates.GrantReadWriteData(Consumer);
        data.Exposures.GrantReadWriteData(Consumer);
        // Explicit actions: GrantPut would add s3:Abort* and the object lock/tagging writes the archive never makes.
        Consumer.Allow(["s3:PutObject"], data.DataBucket.ArnForObjects(DataBucketPrefixes.Events + "*"));
        if (config.PersonalizeTrackingId is not null)
        {
            // Only when the consumer forwards. PutEvents names a tracking id, not an ARN, and the Personalize developer guide
            // ("Recording item interaction events", requirements) says the caller needs personalize:PutEvents with the
            // wildcard * in Resource: an event-tracker ARN is answered AccessDenied.
            Consumer.Allow(["personalize:PutEvents"], "*");
        }
    }
}
