namespace Pipeline.Api.Observability;

/// <summary>
/// The API's log lines, source-generated (no formatting unless the level is on). Only fallbacks are logged per
/// request: a primary answer writes nothing, so the hot path stays free of logging I/O.
/// </summary>
public static partial class ServingLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning,
        Message = "{Endpoint} for user {UserId} served by {ServedBy} (recipe {Recipe}, variant {Variant})")]
    public static partial void ServedByFallback(ILogger logger, string endpoint, string userId, string servedBy, string recipe, string? variant);
}
