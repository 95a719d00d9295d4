namespace Pipeline.Adapters.Aws.DynamoDb;

/// <summary>
/// Names of the DynamoDB tables (CloudFormation generates them) and how long expiring rows are kept.
/// The infra passes the names as <c>PIPELINE_&lt;NAME&gt;_TABLE</c> environment variables.
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
        string? Table(string name) => read($"PIPELINE_{name}_TABLE") is { Length: > 0 } value ? value : null;
        return new DynamoDbTables
        {
            Experiments = Table("EXPERIMENTS"),
            Assignments = Table("ASSIGNMENTS"),
            Exposures = Table("EXPOSURES"),
            Items = Table("ITEMS"),
            Users = Table("USERS"),
            Events = Table("EVENTS"),
            Aggregates = Table("AGGREGATES"),
        };
    }

    internal static string Required(string? name, string table) =>
        name ?? throw new InvalidOperationException($"The DynamoDB {table} table is not configured (PIPELINE_{table.ToUpperInvariant()}_TABLE).");
}
