using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Api.Security;

namespace Pipeline.Cli.Simulation;

/// <summary>The two calls a shopper's app makes: ask for recommendations, then post what the shopper did with them.</summary>
public sealed class ShopperApiClient(HttpClient http, string? apiKey)
{
    /// <summary>A served list: the variant that served it (null outside any experiment), its id and its items in order.</summary>
    public sealed record ServedList(string? Variant, string? RecommendationId, IReadOnlyList<string> Items);

    public async Task<ServedList> RecommendAsync(string userId, int numResults, CancellationToken cancellationToken)
    {
        using var request = Post("/recommendations", new JsonObject { ["user_id"] = userId, ["num_results"] = numResults });
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var items = body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item_id").GetString()!).ToArray();
        return new ServedList(StringOrNull(body, "variant"), StringOrNull(body, "recommendation_id"), items);
    }

    /// <summary>Posts the views, clicks and purchases of one list as one batch (all or nothing); returns how many were posted.</summary>
    public async Task<int> PostEventsAsync(string userId, string sessionId, ServedList list, ShopperDecision decision, CancellationToken cancellationToken)
    {
        var events = new JsonArray();
        void Add(string type, IReadOnlyList<int> ranks, IReadOnlyList<double?>? values = null)
        {
            for (var i = 0; i < ranks.Count; i++)
            {
                var e = new JsonObject { ["user_id"] = userId, ["event_type"] = type, ["item_id"] = list.Items[ranks[i] - 1], ["session_id"] = sessionId };
                if (list.RecommendationId is not null) e["recommendation_id"] = list.RecommendationId;
                // A purchase is worth its price × quantity, so revenue metrics have values to measure.
                if (values?[i] is { } value) e["event_value"] = value;
                events.Add(e);
            }
        }
        Add("view", decision.Viewed);
        Add("click", decision.Clicked);
        Add("purchase", decision.Purchased, decision.PurchaseValues);
        if (events.Count == 0) return 0;
        using var request = Post("/events", new JsonObject { ["events"] = events });
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return events.Count;
    }

    private HttpRequestMessage Post(string path, JsonObject body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (apiKey is not null) request.Headers.Add(ApiKeys.Header, apiKey);
        return request;
    }

    private static string? StringOrNull(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
