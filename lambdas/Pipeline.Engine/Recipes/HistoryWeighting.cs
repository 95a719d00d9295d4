using System.Globalization;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// How much each item of a user's history counts when aws-user-personalization scores them: the weight of its
/// strongest event type (e.g. a purchase over a view) times a recency decay by position, the newest item counting
/// 1 and the one <see cref="RecencyHalfLife"/> items older ½. Position rather than clock time, so the decay means
/// the same on data whose timestamps are only an order. A half-life of 0 turns the decay off.
/// </summary>
public sealed record HistoryWeighting(IReadOnlyDictionary<string, float> EventTypeWeights, double RecencyHalfLife)
{
    public static readonly HistoryWeighting Neutral = new(new Dictionary<string, float>(StringComparer.Ordinal), 0);

    public bool IsNeutral => RecencyHalfLife == 0 && EventTypeWeights.Values.All(w => w == 1);

    /// <summary>The factor from one history position to the next older one.</summary>
    public float DecayPerPosition => RecencyHalfLife == 0 ? 1f : (float)Math.Pow(0.5, 1 / RecencyHalfLife);

    /// <summary>An event type's weight; types the setting does not name weigh 1.</summary>
    public float WeightOf(string eventType) => EventTypeWeights.TryGetValue(eventType, out var w) ? w : 1f;

    /// <summary>Parses <c>view:1,click:2,purchase:4</c> (weights in (0, 1000]); the message names the hyperparameter.</summary>
    public static IReadOnlyDictionary<string, float> ParseEventTypeWeights(string text, string name)
    {
        var weights = new Dictionary<string, float>(StringComparer.Ordinal);
        if (text.Trim().Length == 0) return weights;
        foreach (var part in text.Split(','))
        {
            var colon = part.IndexOf(':');
            var type = colon > 0 ? part[..colon].Trim() : "";
            if (type.Length == 0 || !float.TryParse(part[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight)
                || !float.IsFinite(weight) || weight <= 0 || weight > 1000 || weights.ContainsKey(type))
                throw new ArgumentException($"hyperparameter {name} must list distinct event types as type:weight with weights in (0, 1000], e.g. view:1,click:2,purchase:4 (got '{text}')");
            weights[type] = weight;
        }
        return weights;
    }

    public static string FormatEventTypeWeights(IReadOnlyDictionary<string, float> weights) =>
        string.Join(',', weights.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{p.Value.ToString("R", CultureInfo.InvariantCulture)}"));

    /// <summary>Writes each history item's score weight (type weight × decay by position from the newest, last) into <paramref name="destination"/>.</summary>
    public static void Apply(ReadOnlySpan<float> typeWeights, float decayPerPosition, Span<float> destination)
    {
        var factor = 1f;
        for (var k = typeWeights.Length - 1; k >= 0; k--)
        {
            destination[k] = typeWeights[k] * factor;
            factor *= decayPerPosition;
        }
    }
}
