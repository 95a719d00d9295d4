using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Api.Tests.Faults;

namespace Pipeline.Api.Tests.Observability;

/// <summary>The API binary's console output: one JSON object per line, the request id in the scopes of a request's lines.</summary>
public sealed class JsonLogTests
{
    [Fact]
    public async Task ApiProcess_LogsJsonLines_WithTheRequestIdInTheScope_AndNothingPerRequestWhenServedByPrimary()
    {
        var folder = Directory.CreateTempSubdirectory("pipeline-logs-").FullName;
        try
        {
            await using var api = await ApiProcess.StartAsync(Path.Combine(folder, "pipeline.db"));
            using var http = new HttpClient { BaseAddress = api.BaseAddress };
            for (var i = 0; i < 20; i++)
            {
                (await http.PostAsJsonAsync("/events", new { user_id = "u", event_type = "view", item_id = $"i{i}", session_id = "s" })).EnsureSuccessStatusCode();
            }
            // No model is trained in this process, so this request is served by a fallback, which is logged as a warning.
            using var request = new HttpRequestMessage(HttpMethod.Post, "/recommendations") { Content = JsonContent.Create(new { user_id = "u" }) };
            request.Headers.Add("x-request-id", "log-test-7");
            (await http.SendAsync(request)).EnsureSuccessStatusCode();

            JsonElement? warning = null;
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (warning is null && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
                warning = api.Lines.Select(Parse).FirstOrDefault(line => line?.GetProperty("EventId").GetInt32() == 1001);
            }
            await api.KillAsync();

            Assert.NotNull(warning);
            Assert.Equal("Warning", warning.Value.GetProperty("LogLevel").GetString());
            Assert.Contains(warning.Value.GetProperty("Scopes").EnumerateArray(),
                scope => scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty("request_id", out var id) && id.GetString() == "log-test-7");
            Assert.All(api.Lines.Where(l => l.Length > 0), line => Assert.NotNull(Parse(line)));
            // The 20 accepted event requests wrote nothing: no per-request line on the hot path.
            Assert.DoesNotContain(api.Lines, line => line.Contains("/events", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static JsonElement? Parse(string line)
    {
        try
        {
            return JsonDocument.Parse(line).RootElement;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
