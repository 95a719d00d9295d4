using System.Text.Json.Serialization;
using Pipeline.Adapters.Aws.Http;
using Pipeline.Adapters.Aws.Signing;

namespace Pipeline.Adapters.Aws.Notifications;

/// <summary>One event for PutEvents; <see cref="Detail"/> is a JSON object as a string.</summary>
public sealed record EventBridgeEntry(string Source, string DetailType, string Detail, string? EventBusName = null, DateTimeOffset? Time = null);

/// <summary>
/// EventBridge PutEvents over the JSON 1.1 protocol (AWSSDK.EventBridge is not available here): POST / with
/// X-Amz-Target AWSEvents.PutEvents, signed for "events". Entries EventBridge fails are resent a few times.
/// </summary>
public sealed class EventBridgePublisher(HttpClient http)
{
    public const string EndpointPrefix = "events";
    public const string SigningName = "events";
    public const int MaxEntriesPerCall = 10;
    private const int MaxAttempts = 3;

    public static EventBridgePublisher Create(string? endpointUrl = null, string? region = null) =>
        new(AwsServiceEndpoint.Resolve(EndpointPrefix, SigningName, endpointUrl, region).CreateHttpClient());

    /// <summary>Publishes every entry; returns the event ids EventBridge assigned, in entry order.</summary>
    public async Task<IReadOnlyList<string>> PutEventsAsync(IReadOnlyList<EventBridgeEntry> entries, CancellationToken cancellationToken = default)
    {
        var ids = new string[entries.Count];
        for (var offset = 0; offset < entries.Count; offset += MaxEntriesPerCall)
        {
            var pending = Enumerable.Range(offset, Math.Min(MaxEntriesPerCall, entries.Count - offset)).ToList();
            for (var attempt = 1; pending.Count > 0; attempt++)
            {
                var request = new PutEventsBody([.. pending.Select(i => ToWire(entries[i]))]);
                var response = await AwsJsonCalls.PostAsync(http, "/", request, EventBridgeJsonContext.Default.PutEventsBody,
                    EventBridgeJsonContext.Default.PutEventsResult, "application/x-amz-json-1.1", "AWSEvents.PutEvents", cancellationToken);
                var results = response?.Entries ?? [];
                var failed = new List<int>();
                for (var i = 0; i < pending.Count; i++)
                {
                    var result = i < results.Count ? results[i] : null;
                    if (result?.EventId is { } id)
                    {
                        ids[pending[i]] = id;
                    }
                    else if (attempt < MaxAttempts)
                    {
                        failed.Add(pending[i]);
                    }
                    else
                    {
                        throw new AwsApiException(result?.ErrorCode ?? "PutEventsFailed", result?.ErrorMessage ?? "EventBridge did not accept the entry.",
                            System.Net.HttpStatusCode.OK);
                    }
                }
                pending = failed;
            }
        }
        return ids;
    }

    private static WireEntry ToWire(EventBridgeEntry e) =>
        new(e.Source, e.DetailType, e.Detail, e.EventBusName, e.Time?.ToUnixTimeSeconds());
}

// JSON 1.1 members are PascalCase; timestamps are epoch seconds.
internal sealed record WireEntry(
    [property: JsonPropertyName("Source")] string Source,
    [property: JsonPropertyName("DetailType")] string DetailType,
    [property: JsonPropertyName("Detail")] string Detail,
    [property: JsonPropertyName("EventBusName")] string? EventBusName,
    [property: JsonPropertyName("Time")] long? Time);

internal sealed record PutEventsBody([property: JsonPropertyName("Entries")] IReadOnlyList<WireEntry> Entries);

internal sealed record PutEventsResultEntry(
    [property: JsonPropertyName("EventId")] string? EventId,
    [property: JsonPropertyName("ErrorCode")] string? ErrorCode,
    [property: JsonPropertyName("ErrorMessage")] string? ErrorMessage);

internal sealed record PutEventsResult(
    [property: JsonPropertyName("FailedEntryCount")] int FailedEntryCount,
    [property: JsonPropertyName("Entries")] IReadOnlyList<PutEventsResultEntry>? Entries);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PutEventsBody))]
[JsonSerializable(typeof(PutEventsResult))]
internal sealed partial class EventBridgeJsonContext : JsonSerializerContext;
