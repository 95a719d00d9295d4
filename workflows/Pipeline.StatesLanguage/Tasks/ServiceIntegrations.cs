using System.Text.Json.Nodes;

namespace Pipeline.StatesLanguage.Tasks;

/// <summary>AWS-shaped results of the optimized integrations, for handlers that have nothing more specific to return.</summary>
internal static class ServiceIntegrations
{
    public static Func<TaskInvocation, CancellationToken, Task<JsonNode?>> WithDefaultResult(
        Func<JsonNode?, CancellationToken, Task<JsonNode?>> handler,
        Func<JsonNode?> defaultResult) =>
        async (invocation, cancellationToken) => await handler(invocation.Parameters, cancellationToken) ?? defaultResult();

    public static JsonNode? SnsPublishResult() => new JsonObject
    {
        ["MessageId"] = Guid.NewGuid().ToString(),
        ["SdkHttpMetadata"] = HttpMetadata(),
        ["SdkResponseMetadata"] = ResponseMetadata(),
    };

    public static JsonNode? PutEventsResult() => new JsonObject
    {
        ["Entries"] = new JsonArray(new JsonObject { ["EventId"] = Guid.NewGuid().ToString() }),
        ["FailedEntryCount"] = 0,
    };

    public static JsonNode? EmptyResult() => new JsonObject
    {
        ["SdkHttpMetadata"] = HttpMetadata(),
        ["SdkResponseMetadata"] = ResponseMetadata(),
    };

    public static JsonObject HttpMetadata() => new() { ["HttpStatusCode"] = 200 };

    public static JsonObject ResponseMetadata() => new() { ["RequestId"] = Guid.NewGuid().ToString() };
}
