using Pipeline.DeploymentContract;

namespace Pipeline.Adapters.Aws.DynamoDb;

/// <summary>
/// Names of the DynamoDB tables (CloudFormation generates them) and how long expiring rows are kept.
/// The infra passes the names in the environment variables of <see cref="TableSchemas"/> (<c>PIPELINE_&lt;NAME&gt;_TABLE</c>).
/// </summary>
public sealed record DynamoDbTables
{
    public string? Experiments { get; init; }
    public string? Assignments { get; init; }
    public string? Exposures { get; init; }
    public string? Items { get; init; }
    public string? Users { get; init; }
    public string? Events { get; init; }
    public string? Aggregates { get; init; }

    /// <summary>Counted from the write, not from the event's own time, so re-imported history is not expired at once.</summary>
    public TimeSpan EventsRetention { get; init; } = TimeSpan.FromDays(400);

    /// <summary>Long enough to outlive any experiment; sticky bucketing only matters while it runs.</summary>
    public TimeSpan AssignmentsRetention { get; init; } = TimeSpan.FromDays(365);

    /// <summary>Conversions are attributed within days of an exposure; analysis reads them within the experiment.</summary>
    public TimeSpan ExposuresRetention { get; init; } = TimeSpan.FromDays(180);

    /// <summary>
    /// How long the aggregates remember an event already counted: as long as events are kept, so a redelivery or a
    /// client retry is never counted twice. The sums themselves do not expire.
    /// </summary>
    public TimeSpan AppliedEventsRetention { get; init; } = TimeSpan.FromDays(400);

    /// <summary>The names from <c>PIPELINE_EXPERIMENTS_TABLE</c>, <c>PIPELINE_ASSIGNMENTS_TABLE</c>, … (unset ones stay null).</summary>
    public static DynamoDbTables FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        string? Table(TableSchema table) => read(table.EnvironmentVariable) is { Length: > 0 } value ? value : null;
        return new DynamoDbTables
        {
            Experiments = Table(TableSchemas.Experiments),
            Assignments = Table(TableSchemas.Assignments),
            Exposures = Table(TableSchemas.Exposures),
            Items = Table(TableSchemas.Items),
            Users = Table(TableSchemas.Users),
            Events = Table(TableSchemas.Events),
            Aggregates = Table(TableSchemas.Aggregates),
        };
    }

    /// <summary>Each table's configured name (null when unset) with its schema, in <see cref="TableSchemas.All"/>'s order.</summary>
    public IEnumerable<(TableSchema Schema, string? Name)> WithSchemas() =>
    [
        (TableSchemas.Experiments, Experiments), (TableSchemas.Assignments, Assignments), (TableSchemas.Exposures, Exposures),
        (TableSchemas.Items, Items), (TableSchemas.Users, Users), (TableSchemas.Events, Events), (TableSchemas.Aggregates, Aggregates),
    ];

    internal static string Required(string? name, TableSchema table) =>
        name ?? throw new InvalidOperationException($"The DynamoDB {table.Name} table is not configured ({table.EnvironmentVariable}).");
}
