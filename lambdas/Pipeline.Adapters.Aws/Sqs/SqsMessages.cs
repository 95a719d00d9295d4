using System.Text.Json;
using Pipeline.Domain.Events;

namespace Pipeline.Adapters.Aws.Sqs;

/// <summary>The two kinds of message on the events queue: an interaction event, or an exposure (it has an "exposure" field).</summary>
public static class SqsMessages
{
    /// <returns>An <see cref="InteractionEvent"/>, an <see cref="ExposureMessage"/>, or null for a body that is neither.</returns>
    public static object? Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            if (document.RootElement.TryGetProperty("exposure", out _))
            {
                var m = document.RootElement.Deserialize(SqsJsonContext.Default.ExposureMessage);
                return m is { Exposure: { RecommendationId.Length: > 0, ExperimentKey.Length: > 0, VariantKey.Length: > 0, UserId.Length: > 0 } } ? m : null;
            }
            var e = document.RootElement.Deserialize(SqsJsonContext.Default.InteractionEvent);
            return e is { EventId.Length: > 0, UserId.Length: > 0, ItemId.Length: > 0, EventType.Length: > 0 } ? e : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
