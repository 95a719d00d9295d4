using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Pipeline.Cli.Rehearsal;

/// <summary>HTTP to the API process, as a client would call API Gateway: JSON in, JSON out, the time each answer took.</summary>
public sealed class ApiClient(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public sealed record Answer(HttpStatusCode Status, JsonNode? Body, TimeSpan Elapsed);

    public Task<Answer> PostAsync(string path, JsonNode body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public Task<Answer> PutAsync(string path, JsonNode body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Put, path, body, cancellationToken);

    public Task<Answer> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    /// <summary>POST /recommendations for a user forced into a variant (the QA override: no assignment, no exposure).</summary>
    public async Task<JsonObject> RecommendAsync(string userId, string variant, string? seedItem, int numResults, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["user_id"] = userId, ["num_results"] = numResults };
        if (seedItem is not null) body["item_id"] = seedItem;
        var answer = await PostAsync($"/recommendations?force_variant={Uri.EscapeDataString(variant)}", body, cancellationToken);
        return answer.Status == HttpStatusCode.OK && answer.Body is JsonObject json
            ? json
            : throw new StepFailedException($"POST /recommendations (force_variant={variant}) answered {(int)answer.Status}: {answer.Body?.ToJsonString()}");
    }

    public static string[] Items(JsonNode body) => [.. (body["items"]?.AsArray() ?? []).Select(i => (string)i!["item_id"]!)];

    private async Task<Answer> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        var watch = Stopwatch.StartNew();
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        watch.Stop();
        JsonNode? json = null;
        try
        {
            json = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            json = JsonValue.Create(text);
        }
        return new Answer(response.StatusCode, json, watch.Elapsed);
    }

    public void Dispose() => _http.Dispose();
}
