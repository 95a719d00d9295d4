using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Pipeline.Api.Tests.Apis;

/// <summary>Small helpers for the experiments tests: JSON in, JSON out, over the real HTTP client.</summary>
internal static class ExperimentsApiClient
{
    public const string TwoArms = """
        {"key":"default","variants":[
          {"key":"a","weight":0.5,"recipe":"aws-popularity-count"},
          {"key":"b","weight":0.5,"recipe":"aws-popularity-count","config":{"explore":"0.1"}}]}
        """;

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> Post(this ApiServer server, string path, string body = "{}") => server.Client.PostAsync(path, Json(body));

    public static Task<HttpResponseMessage> Put(this ApiServer server, string path, string body) => server.Client.PutAsync(path, Json(body));

    public static async Task<JsonElement> Ok(this Task<HttpResponseMessage> call)
    {
        var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJson(this ApiServer server, string path) => await server.Client.GetAsync(path).Ok();

    /// <summary>Creates and starts the two-arm "default" experiment that serves recommendations.</summary>
    public static async Task StartDefault(this ApiServer server, string body = TwoArms)
    {
        await server.Post("/experiments", body).Ok();
        await server.Post("/experiments/default/start").Ok();
    }

    public static async Task<JsonElement> Recommend(this ApiServer server, string user, string? query = null, string? header = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/recommendations" + query)
        {
            Content = Json($$"""{"user_id":"{{user}}","num_results":2}"""),
        };
        if (header is not null)
        {
            request.Headers.Add("x-force-variant", header);
        }
        return await server.Client.SendAsync(request).Ok();
    }

    public static async Task Event(this ApiServer server, string user, string type, string? recommendationId, double? value = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["user_id"] = user, ["event_type"] = type, ["item_id"] = "item_00001", ["session_id"] = "s1",
            ["recommendation_id"] = recommendationId, ["event_value"] = value,
        };
        var response = await server.Client.PostAsJsonAsync("/events", body);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }
}
