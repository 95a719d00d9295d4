namespace Pipeline.DeploymentContract;

/// <summary>
/// The DynamoDB attribute names more than one side uses. Keys, indexes and the TTL attribute: written by the infra's
/// DataStack (it creates the tables) and by Pipeline.Adapters.Aws's DynamoDbSchema (it creates the same tables on
/// moto_server and DynamoDB Local), read and written by the DynamoDB stores of Pipeline.Adapters.Aws. The experiment
/// item's variants: written by DynamoDbExperimentStore, read (GetItem, a Map over <see cref="Variants"/>) and updated
/// (<c>SET variants[N].campaign</c>) by the training state machine (workflows/Pipeline.Workflows), and answered or applied
/// by its local stand-ins (workflows/Pipeline.Workflows.Local: ExperimentItem, ExperimentVariantUpdate). Attributes only
/// one store reads and writes stay private to that store.
/// </summary>
public static class DynamoDbAttributes
{
    /// <summary>The TTL attribute (epoch seconds) of the tables whose rows expire (<see cref="TableSchema.TimeToLive"/>).</summary>
    public const string ExpiresAt = "expiresAt";

    /// <summary>Partition key of the experiments and assignments tables, partition key of the exposures' index.</summary>
    public const string ExperimentKey = "experimentKey";

    /// <summary>Partition key of the users table, sort key of the assignments table, partition key of the events' index.</summary>
    public const string UserId = "userId";

    /// <summary>Partition key of the items table.</summary>
    public const string ItemId = "itemId";

    /// <summary>Partition key of the events table (a redelivered event is a conditional-put no-op).</summary>
    public const string EventId = "eventId";

    /// <summary>Partition key of the exposures table (a conversion is attributed by it).</summary>
    public const string RecommendationId = "recommendationId";

    /// <summary>Sort key of both indexes (a string, ISO 8601).</summary>
    public const string Timestamp = "timestamp";

    /// <summary>Generic partition key of the aggregates table, which holds several kinds of item.</summary>
    public const string PartitionKey = "pk";

    /// <summary>Generic sort key of the aggregates table.</summary>
    public const string SortKey = "sk";

    /// <summary>The events table's index by user (the user's recent items).</summary>
    public const string EventsByUserIndex = "byUser";

    /// <summary>The exposures table's index by experiment (created on both sides for the analysis; no store queries it today).</summary>
    public const string ExposuresByExperimentIndex = "byExperiment";

    /// <summary>The experiment item's variants: a list (<c>L</c>) of maps (<c>M</c>), in the experiment's order.</summary>
    public const string Variants = "variants";

    /// <summary>A variant map's key (a string).</summary>
    public const string VariantKey = "key";

    /// <summary>A variant map's weight (a number).</summary>
    public const string VariantWeight = "weight";

    /// <summary>A variant map's recipe (a string): the training machine updates the variants whose recipe it trained.</summary>
    public const string VariantRecipe = "recipe";

    /// <summary>
    /// A variant map's campaign ARN (a string, absent when the variant has none): the training machine sets it
    /// (<see cref="VariantCampaignUpdate"/>), the experiment store reads it back under this name.
    /// </summary>
    public const string VariantCampaign = "campaign";

    /// <summary>
    /// The training machine's UpdateExpression with its index left as the <c>{}</c> of States.Format:
    /// <c>SET variants[{}].campaign = :campaign</c>.
    /// </summary>
    public const string VariantCampaignUpdate = "SET " + Variants + "[{}]." + VariantCampaign + " = :campaign";
}

/// <summary>
/// One table as both sides must see it. <paramref name="Name"/>: the DataStack construct id (CloudFormation names the table
/// after it) and the name the code's messages use; <paramref name="EnvironmentVariable"/>: where the infra passes its
/// generated name to the functions.
/// </summary>
public sealed record TableSchema(string Name, string EnvironmentVariable, string PartitionKey, string? SortKey = null, bool TimeToLive = false, TableIndex? Index = null);

/// <summary>A global secondary index: string keys, every attribute projected.</summary>
public sealed record TableIndex(string Name, string PartitionKey, string SortKey);

/// <summary>
/// The tables and their key schemas. Written: infra/Pipeline.Infra's DataStack creates them on AWS; Pipeline.Adapters.Aws's
/// DynamoDbSchema.CreateTablesAsync creates them where nothing else does (moto_server, DynamoDB Local). Read: the DynamoDB
/// stores of Pipeline.Adapters.Aws (DynamoDbTables names them from <see cref="TableSchema.EnvironmentVariable"/>).
/// </summary>
public static class TableSchemas
{
    public static TableSchema Experiments { get; } = new("Experiments", EnvironmentVariables.ExperimentsTable, DynamoDbAttributes.ExperimentKey);

    /// <summary>Sticky bucketing: one row per (experiment, user); expires with the experiment.</summary>
    public static TableSchema Assignments { get; } = new("Assignments", EnvironmentVariables.AssignmentsTable,
        DynamoDbAttributes.ExperimentKey, DynamoDbAttributes.UserId, TimeToLive: true);

    /// <summary>Looked up by recommendationId when a conversion is attributed; the index by experiment is for the analysis (no store queries it today).</summary>
    public static TableSchema Exposures { get; } = new("Exposures", EnvironmentVariables.ExposuresTable, DynamoDbAttributes.RecommendationId,
        TimeToLive: true, Index: new(DynamoDbAttributes.ExposuresByExperimentIndex, DynamoDbAttributes.ExperimentKey, DynamoDbAttributes.Timestamp));

    public static TableSchema Items { get; } = new("Items", EnvironmentVariables.ItemsTable, DynamoDbAttributes.ItemId);

    public static TableSchema Users { get; } = new("Users", EnvironmentVariables.UsersTable, DynamoDbAttributes.UserId);

    /// <summary>eventId as the key makes appends idempotent (a redelivered SQS message is a conditional-put no-op).</summary>
    public static TableSchema Events { get; } = new("Events", EnvironmentVariables.EventsTable, DynamoDbAttributes.EventId,
        TimeToLive: true, Index: new(DynamoDbAttributes.EventsByUserIndex, DynamoDbAttributes.UserId, DynamoDbAttributes.Timestamp));

    /// <summary>Counters per experiment/variant/day etc.; generic keys because the aggregates evolve with the analysis.</summary>
    public static TableSchema Aggregates { get; } = new("Aggregates", EnvironmentVariables.AggregatesTable,
        DynamoDbAttributes.PartitionKey, DynamoDbAttributes.SortKey, TimeToLive: true);

    /// <summary>Every table, in the order DataStack creates them.</summary>
    public static IReadOnlyList<TableSchema> All { get; } = [Experiments, Assignments, Exposures, Items, Users, Events, Aggregates];
}

/// <summary>
/// The data bucket's prefixes (the bucket's name is <see cref="EnvironmentVariables.DataBucket"/>). The infra scopes IAM
/// and lifecycle rules to them (DataStack, EventsConstruct, TrainerConstruct, ApiConstruct); the code writes and reads
/// the objects under them, so a key outside its prefix is an AccessDenied on AWS only.
/// </summary>
public static class DataBucketPrefixes
{
    /// <summary>
    /// The training imports. Written: whoever exports the data for a run (the input's import paths point here). Read:
    /// Personalize's dataset import jobs (DataStack's Personalize role) and the in-house trainer (TrainerConstruct).
    /// </summary>
    public const string Training = "training/";

    /// <summary>
    /// The events consumer's CSV archive (<c>events/yyyy/MM/dd/HH/…</c>). Written: Pipeline.Adapters.Aws's S3EventArchive
    /// (EventsConstruct grants PutObject on it). Read: Personalize's dataset import jobs (DataStack), for re-imports.
    /// </summary>
    public const string Events = "events/";

    /// <summary>
    /// The in-house models and their manifest. Written: the in-house trainer (Pipeline.Engine's InHouseTrainingHandler under
    /// InHouseModelsOptions.Prefix, whose default this is; TrainerConstruct grants PutObject). Read: the API's
    /// ArtifactModelRegistry (ApiConstruct grants GetObject) and the trainer (the manifest).
    /// </summary>
    public const string Models = "models/";

    /// <summary>The manifest's name under <see cref="Models"/>: the trainer writes it last, the API reads it to find the current version.</summary>
    public const string ModelsManifest = "manifest.json";
}
