using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Domain.Events;
using Pipeline.Domain.Recommendations;
using Pipeline.Personalize.Local.ControlPlane;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Json;
using Pipeline.Personalize.Local.Lifecycle;
using Pipeline.Personalize.Local.Storage;

namespace Pipeline.Personalize.Local.Events;

/// <summary>
/// personalize-events: PutEvents records interactions through an event tracker (appended to the group's interactions
/// data for the next training, and handed at once to campaign models that take real-time events); PutItems and
/// PutUsers append to the items and users datasets.
/// </summary>
public sealed class EventsOperations(PersonalizeContext context)
{
    public Task<JsonObject> PutEventsAsync(Request request, CancellationToken cancellationToken)
    {
        var trackingId = request.RequiredString("trackingId");
        var userId = request.String("userId");
        var sessionId = request.RequiredString("sessionId");
        var list = request.Array("eventList", 1, 10) ?? throw Request.Invalid("eventList", "null", "Member must not be null");
        var events = list.Select((node, i) => ReadEvent(node, $"eventList.{i + 1}", userId, sessionId)).ToList();

        var (interactions, models) = context.Store.Read(state =>
        {
            var tracker = state.EventTrackers.Values.FirstOrDefault(t => t.TrackingId == trackingId && t.Status == Statuses.Active)
                ?? throw PersonalizeException.InvalidInput($"No active event tracker has the trackingId {trackingId}.");
            var dataset = state.Datasets.Values.FirstOrDefault(d => d.DatasetGroupArn == tracker.DatasetGroupArn && DatasetTypes.Normalize(d.DatasetType) == DatasetTypes.Interactions);
            var versions = state.Campaigns.Values.Where(c => c.Status == Statuses.Active)
                .Select(c => c.SolutionVersionArn)
                .Where(v => state.SolutionVersions.GetValueOrDefault(v)?.DatasetGroupArn == tracker.DatasetGroupArn)
                .Distinct(StringComparer.Ordinal).ToList();
            var schema = dataset is null ? null : AvroSchema.Parse(state.Schemas[dataset.SchemaArn].Schema);
            return (dataset is null ? default((string, AvroSchema)?) : (dataset.DatasetArn, schema!), versions);
        });

        if (interactions is var (datasetArn, schema))
        {
            DatasetData.Append(context.Paths.DatasetFile(datasetArn), schema, [.. events.Where(e => e.ItemId.Length > 0).Select(e => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>
            {
                ["USER_ID"] = e.UserId,
                ["ITEM_ID"] = e.ItemId,
                ["TIMESTAMP"] = e.Timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                ["EVENT_TYPE"] = e.EventType,
                ["EVENT_VALUE"] = e.EventValue?.ToString(CultureInfo.InvariantCulture) ?? "",
            })]);
        }
        // Real-time: every campaign model of the group that can learn from events sees them now.
        foreach (var versionArn in models)
            if (context.Models.Find(versionArn) is IRealtimeEvents live)
                foreach (var interaction in events) live.Record(interaction);
        return Task.FromResult(new JsonObject());
    }

    public Task<JsonObject> PutItemsAsync(Request request, CancellationToken cancellationToken) =>
        PutRecordsAsync(request, "items", "itemId", "ITEM_ID", DatasetTypes.Items, 32000);

    public Task<JsonObject> PutUsersAsync(Request request, CancellationToken cancellationToken) =>
        PutRecordsAsync(request, "users", "userId", "USER_ID", DatasetTypes.Users, 24000);

    private Task<JsonObject> PutRecordsAsync(Request request, string listMember, string idMember, string idColumn, string datasetType, int maxProperties)
    {
        var datasetArn = request.Arn("datasetArn");
        var list = request.Array(listMember, 1, 10) ?? throw Request.Invalid(listMember, "null", "Member must not be null");
        var records = list.Select((node, i) =>
        {
            var record = node is JsonObject o ? new Request(o) : throw Request.Invalid($"{listMember}.{i + 1}", node?.ToJsonString() ?? "null", "Member must be a structure");
            var row = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [idColumn] = record.RequiredString(idMember) };
            if (record.String("properties", maxProperties) is { } properties)
                foreach (var (key, value) in ParseProperties(properties, $"{listMember}.{i + 1}.properties"))
                    row[ColumnName(key)] = value;
            return (IReadOnlyDictionary<string, string>)row;
        }).ToList();
        var (arn, schema) = context.Store.Read(state =>
        {
            var dataset = PersonalizeContext.Get(state.Datasets, datasetArn);
            if (DatasetTypes.Normalize(dataset.DatasetType) != datasetType)
                throw PersonalizeException.InvalidInput($"The dataset {datasetArn} is a {dataset.DatasetType} dataset, not {datasetType}.");
            if (dataset.Status != Statuses.Active) throw PersonalizeException.InUse($"The dataset {datasetArn} is {dataset.Status}.");
            return (dataset.DatasetArn, AvroSchema.Parse(state.Schemas[dataset.SchemaArn].Schema));
        });
        DatasetData.Append(context.Paths.DatasetFile(arn), schema, records);
        return Task.FromResult(new JsonObject());
    }

    private static InteractionEvent ReadEvent(JsonNode? node, string member, string? userId, string sessionId)
    {
        if (node is not JsonObject body) throw Request.Invalid(member, node?.ToJsonString() ?? "null", "Member must be a structure");
        var e = new Request(body);
        var eventType = e.RequiredString("eventType");
        var sentAt = body["sentAt"] ?? throw Request.Invalid($"{member}.sentAt", "null", "Member must not be null");
        var timestamp = sentAt.GetValueKind() switch
        {
            JsonValueKind.Number => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(Number(sentAt) * 1000)),
            JsonValueKind.String when DateTimeOffset.TryParse(sentAt.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) => parsed,
            _ => throw Request.Invalid($"{member}.sentAt", sentAt.ToJsonString(), "Member must be a timestamp"),
        };
        double? eventValue = body["eventValue"] is { } value
            ? value.GetValueKind() == JsonValueKind.Number ? Number(value) : throw Request.Invalid($"{member}.eventValue", value.ToJsonString(), "Member must be a number")
            : null;
        if (e.String("properties", 1024) is { } properties) ParseProperties(properties, $"{member}.properties");
        e.Array("impression", 1, 25);
        return new InteractionEvent(
            e.String("eventId") ?? Guid.NewGuid().ToString("N"),
            // Anonymous sessions are recorded under the session id, as Personalize does until the user is known.
            userId ?? sessionId,
            e.String("itemId") ?? "",
            eventType,
            eventValue,
            sessionId,
            e.String("recommendationId", 40),
            timestamp);
    }

    /// <summary>A JSON number whatever CLR type backs it (parsed JSON or a value built in-process).</summary>
    private static double Number(JsonNode node) => double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

    private static Dictionary<string, string> ParseProperties(string json, string member)
    {
        JsonObject? properties;
        try
        {
            properties = JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            properties = null;
        }
        if (properties is null) throw Request.Invalid(member, json, "Member must be a JSON object in a string");
        return properties.ToDictionary(p => p.Key, p => p.Value switch
        {
            null => "",
            var v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            var v => v.ToJsonString(),
        }, StringComparer.Ordinal);
    }

    /// <summary>Personalize's properties use camelCase for the schema's UPPER_SNAKE fields: numberOfRatings is NUMBER_OF_RATINGS.</summary>
    private static string ColumnName(string key)
    {
        var column = new StringBuilder(key.Length + 4);
        for (var i = 0; i < key.Length; i++)
        {
            if (char.IsUpper(key[i]) && i > 0 && !char.IsUpper(key[i - 1]) && key[i - 1] != '_') column.Append('_');
            column.Append(char.ToUpperInvariant(key[i]));
        }
        return column.ToString();
    }
}
