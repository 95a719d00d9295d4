namespace Pipeline.Engine.Datasets;

/// <summary>What a generation run wrote, for the CLI's summary and for tests.</summary>
public sealed record SyntheticDataSummary(
    int Users,
    int Items,
    long Interactions,
    long Views,
    long Clicks,
    long Purchases,
    DateTimeOffset FirstTimestamp,
    DateTimeOffset LastTimestamp,
    string InteractionsPath,
    string ItemsPath,
    string UsersPath);
