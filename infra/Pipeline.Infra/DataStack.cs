using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.S3;
using Constructs;
using Pipeline.DeploymentContract;
using Attribute = Amazon.CDK.AWS.DynamoDB.Attribute;

namespace Pipeline.Infra;

/// <summary>
/// The stateful resources: DynamoDB tables and the data bucket. Kept in their own stack, with
/// RemovalPolicy.RETAIN, so that the service stack can be replaced or destroyed without touching data.
/// The tables' names, keys, indexes and TTL attribute are the deployment contract's <see cref="TableSchemas"/>, which the
/// DynamoDB stores in Pipeline.Adapters.Aws read (and DynamoDbSchema creates on moto_server); the bucket's prefixes are its
/// <see cref="DataBucketPrefixes"/>.
/// </summary>
public sealed class DataStack : Stack
{
    /// <summary>The data bucket's prefixes a dataset import job may read: training exports and the consumer's event archive.</summary>
    public static readonly string[] PersonalizeReadablePrefixes = [DataBucketPrefixes.Training, DataBucketPrefixes.Events];

    public Table Experiments { get; }
    public Table Assignments { get; }
    public Table Exposures { get; }
    public Table Items { get; }
    public Table Users { get; }
    public Table Events { get; }
    public Table Aggregates { get; }
    public Bucket DataBucket { get; }

    /// <summary>Role that Personalize assumes for dataset import jobs (reads the training/ prefix).</summary>
    public Role PersonalizeRole { get; }

    public DataStack(Construct scope, string id, PipelineConfig config, IStackProps? props = null)
        : base(scope, id, props)
    {
        Experiments = NewTable(TableSchemas.Experiments, config);
        // Sticky bucketing: one row per (experiment, user); expires with the experiment.
        Assignments = NewTable(TableSchemas.Assignments, config);
        // Looked up by recommendationId when a conversion is attributed; indexed by experiment for analysis.
        Exposures = NewTable(TableSchemas.Exposures, config);
        Items = NewTable(TableSchemas.Items, config);
        Users = NewTable(TableSchemas.Users, config);
        // eventId as the key makes appends idempotent (a redelivered SQS message is a conditional-put no-op).
        Events = NewTable(TableSchemas.Events, config);
        // Counters per experiment/variant/day etc.; generic keys because the aggregates evolve with the analysis.
        Aggregates = NewTable(TableSchemas.Aggregates, config);

        DataBucket = new Bucket(this, "DataBucket", new BucketProps
        {
            Encryption = BucketEncryption.S3_MANAGED,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            EnforceSSL = true,
            Versioned = true,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            RemovalPolicy = RemovalPolicy.RETAIN,
            LifecycleRules =
            [
                new LifecycleRule
                {
                    Id = "abort-incomplete-uploads",
                    AbortIncompleteMultipartUploadAfter = Duration.Days(7),
                },
                new LifecycleRule
                {
                    // Old model artifacts and overwritten exports are only needed for a short rollback window.
                    Id = "expire-noncurrent-versions",
                    NoncurrentVersionExpiration = Duration.Days(30),
                },
                new LifecycleRule
                {
                    // The raw event archive is read rarely (re-imports, audits), so it moves to cheaper storage.
                    Id = "archive-events",
                    Prefix = DataBucketPrefixes.Events,
                    Transitions =
                    [
                        new Transition { StorageClass = StorageClass.INFREQUENT_ACCESS, TransitionAfter = Duration.Days(30) },
                        new Transition { StorageClass = StorageClass.GLACIER_INSTANT_RETRIEVAL, TransitionAfter = Duration.Days(90) },
                    ],
                    Expiration = Duration.Days(730),
                },
                new LifecycleRule
                {
                    // Training exports are regenerated for every run.
                    Id = "expire-training-exports",
                    Prefix = DataBucketPrefixes.Training,
                    Expiration = Duration.Days(90),
                },
            ],
        });

        PersonalizeRole = new Role(this, "PersonalizeRole", new RoleProps
        {
            // Confused-deputy conditions from the Personalize developer guide ("Cross-service confused deputy prevention"):
            // only Personalize acting for this account's resources in this region may assume the role.
            AssumedBy = new ServicePrincipal("personalize.amazonaws.com").WithConditions(new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Aws.ACCOUNT_ID },
                ["ArnLike"] = new Dictionary<string, object> { ["aws:SourceArn"] = $"arn:{Aws.PARTITION}:personalize:{Aws.REGION}:{Aws.ACCOUNT_ID}:*" },
            }),
            Description = "Lets Amazon Personalize read training exports from the data bucket",
        });
        // Import jobs read the training exports and the consumer's event archive (README: imports from events/yyyy/MM/dd/HH/).
        PersonalizeRole.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["s3:GetObject"],
            Resources = PersonalizeReadablePrefixes.Select(p => DataBucket.ArnForObjects(p + "*")).ToArray(),
        }));
        PersonalizeRole.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["s3:ListBucket"],
            Resources = [DataBucket.BucketArn],
        }));
        // Personalize also checks the bucket policy, not only its role's permissions.
        DataBucket.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "PersonalizeReadsTrainingExports",
            Principals = [new ServicePrincipal("personalize.amazonaws.com")],
            Actions = ["s3:GetObject", "s3:ListBucket"],
            Resources = [DataBucket.BucketArn, .. PersonalizeReadablePrefixes.Select(p => DataBucket.ArnForObjects(p + "*"))],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Aws.ACCOUNT_ID },
            },
        }));

        // What a dataset import job needs (see README, "Deploy step by step").
        new CfnOutput(this, "DataBucketName", new CfnOutputProps { Value = DataBucket.BucketName });
        new CfnOutput(this, "PersonalizeRoleArn", new CfnOutputProps { Value = PersonalizeRole.RoleArn, Description = "roleArn of CreateDatasetImportJob" });
    }

    /// <summary>The table of <paramref name="schema"/> (its name is the construct id), with its index if it has one.</summary>
    private Table NewTable(TableSchema schema, PipelineConfig config)
    {
        var provisioned = config.TableBillingMode == BillingMode.PROVISIONED;
        var table = new Table(this, schema.Name, new TableProps
        {
            PartitionKey = new Attribute { Name = schema.PartitionKey, Type = AttributeType.STRING },
            SortKey = schema.SortKey is null ? null : new Attribute { Name = schema.SortKey, Type = AttributeType.STRING },
            BillingMode = config.TableBillingMode,
            ReadCapacity = provisioned ? config.TableReadCapacity : null,
            WriteCapacity = provisioned ? config.TableWriteCapacity : null,
            Encryption = TableEncryption.AWS_MANAGED,
            PointInTimeRecovery = true,
            TimeToLiveAttribute = schema.TimeToLive ? DynamoDbAttributes.ExpiresAt : null,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        if (schema.Index is { } index)
        {
            table.AddGlobalSecondaryIndex(Gsi(index, config));
        }
        return table;
    }

    private static GlobalSecondaryIndexProps Gsi(TableIndex index, PipelineConfig config)
    {
        var provisioned = config.TableBillingMode == BillingMode.PROVISIONED;
        return new GlobalSecondaryIndexProps
        {
            IndexName = index.Name,
            PartitionKey = new Attribute { Name = index.PartitionKey, Type = AttributeType.STRING },
            SortKey = new Attribute { Name = index.SortKey, Type = AttributeType.STRING },
            ReadCapacity = provisioned ? config.TableReadCapacity : null,
            WriteCapacity = provisioned ? config.TableWriteCapacity : null,
        };
    }
}
