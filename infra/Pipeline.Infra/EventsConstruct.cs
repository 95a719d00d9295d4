using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.EventSources;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace Pipeline.Infra;

/// <summary>
/// Interaction events: the API enqueues them, a consumer Lambda stores them, updates aggregates,
/// forwards them to Personalize and archives them in S3. Poison messages go to a DLQ after 5 receives.
/// </summary>
public sealed class EventsConstruct : Construct
{
    /// <summary>The Web Adapter POSTs non-HTTP events (the SQS batch) to this path of the app.</summary>
    public const string SqsPassThroughPath = "/internal/sqs-events";

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
        environment["AWS_LWA_PASS_THROUGH_PATH"] = SqsPassThroughPath;
        // An unhandled error must fail the invocation, so Lambda keeps the batch (see LambdaPackaging.ErrorStatusCodesVariable).
        environment[LambdaPackaging.ErrorStatusCodesVariable] = LambdaPackaging.FailingStatusCodes;
        environment["PIPELINE_MODE"] = "aws";
        environment["PIPELINE_ROLE"] = "events-consumer";
        environment["PIPELINE_EVENTS_TABLE"] = data.Events.TableName;
        environment["PIPELINE_AGGREGATES_TABLE"] = data.Aggregates.TableName;
        environment["PIPELINE_EXPOSURES_TABLE"] = data.Exposures.TableName;
        environment["PIPELINE_DATA_BUCKET"] = data.DataBucket.BucketName;
        if (config.PersonalizeTrackingId is { } trackingId)
        {
            environment["PIPELINE_PERSONALIZE_TRACKING_ID"] = trackingId;
        }

        // The same app as the API (one publish): the Web Adapter hands the SQS batch to SqsPassThroughPath,
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
        Consumer.Allow(["s3:PutObject"], data.DataBucket.ArnForObjects("events/*"));
        if (config.PersonalizeTrackingId is not null)
        {
            // Only when the consumer forwards. PutEvents names a tracking id, not an ARN, and the Personalize developer guide
            // ("Recording item interaction events", requirements) says the caller needs personalize:PutEvents with the
            // wildcard * in Resource: an event-tracker ARN is answered AccessDenied.
            Consumer.Allow(["personalize:PutEvents"], "*");
        }
    }
}
