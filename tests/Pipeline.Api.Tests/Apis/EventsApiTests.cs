using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Domain.Events;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Tests.Apis;

public sealed class EventsApiTests
{
    private const string ValidEvent = """
        {"user_id":"user_00001","event_type":"click","item_id":"item_00042","session_id":"s-1","recommendation_id":"r-1","timestamp":1764000000}
        """;

    [Fact]
    public async Task PostEvent_WhenValid_Returns202AndTheEventSurvivesARestart()
    {
        var server = await ApiServer.StartAsync(new ModelRegistry());
        var response = await server.Client.PostAsync("/events", Json(ValidEvent));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var eventId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("event_id").GetString()!;

        var folder = await server.StopAsync();
        await using var restarted = await ApiServer.StartAsync(new ModelRegistry(), folder: folder);

        var stored = await restarted.Services.GetRequiredService<IEventStore>().GetAsync(eventId);
        Assert.NotNull(stored);
        Assert.Equal(("user_00001", "item_00042", "click", "r-1"), (stored.UserId, stored.ItemId, stored.EventType, stored.RecommendationId));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764000000), stored.Timestamp);
    }

    [Fact]
    public async Task PostEvent_WhenEventIdRepeats_AcceptsButReportsDuplicateAndStoresOnce()
    {
        await using var server = await ApiServer.StartAsync(new ModelRegistry());
        var body = ValidEvent.Replace("{", "{\"event_id\":\"evt-1\",", StringComparison.Ordinal);

        await server.Client.PostAsync("/events", Json(body));
        var second = await server.Client.PostAsync("/events", Json(body));

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.True((await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        Assert.Equal(1, await server.Services.GetRequiredService<IEventStore>().CountAsync());
    }

    [Theory]
    [InlineData("""{"event_type":"click","item_id":"i","session_id":"s"}""", "user_id")]
    [InlineData("""{"user_id":"u","event_type":"teleport","item_id":"i","session_id":"s"}""", "event_type")]
    [InlineData("""{"user_id":"u","event_type":"click","item_id":"i","session_id":"s","timestamp":"yesterday"}""", "timestamp")]
    [InlineData("""{"user_id":"u","event_type":"purchase","item_id":"i","session_id":"s","event_value":-3}""", "event_value")]
    [InlineData("""{"user_id":"u","event_type":"click","item_id":7,"session_id":"s"}""", "item_id")]
    [InlineData("""{"user_id":"u","event_type":"click",""", "$")]
    public async Task PostEvent_WhenInvalid_Returns400NamingTheFieldAndStoresNothing(string body, string field)
    {
        await using var server = await ApiServer.StartAsync(new ModelRegistry());

        var response = await server.Client.PostAsync("/events", Json(body));

        await ProblemAssert.IsValidationProblem(response, field);
        Assert.Equal(0, await server.Services.GetRequiredService<IEventStore>().CountAsync());
    }

    [Fact]
    public async Task PostEvent_WhenBodyLargerThanLimit_Returns413Problem()
    {
        await using var server = await ApiServer.StartAsync(new ModelRegistry());
        var huge = ValidEvent.Replace("s-1", new string('x', 300 * 1024), StringComparison.Ordinal);

        var response = await server.Client.PostAsync("/events", Json(huge));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task PostEvent_WhenNotJson_Returns415Problem()
    {
        await using var server = await ApiServer.StartAsync(new ModelRegistry());

        var response = await server.Client.PostAsync("/events", new StringContent("user=u", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task PostEvents_WhenBatchValid_StoresAllAndReportsDuplicatesPerEvent()
    {
        await using var server = await ApiServer.StartAsync(new ModelRegistry());
        await server.Client.PostAsync("/events", Json(Batch(0, 1)));

        var response = await server.Client.PostAsync("/events", Json(Batch(0, 100)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(99, body.GetProperty("accepted").GetInt32());
        Assert.Equal(1, body.GetProperty("duplicates").GetInt32());
        Assert.True(body.GetProperty("events")[0].GetProperty("duplicate").GetBoolean());
        Assert.Equal(100, await server.Services.GetRequiredService<IEventStore>().CountAsync());
    }

    [Fact]
    public async Task PostEvents_WhenOneEventOfTheBatchInvalid_Returns400NamingItAndStoresNone()
    {
        await using var server = await ApiServer.StartAsync(new ModelRegistry());
        var body = Batch(0, 5).Replace("\"user_id\":\"user_3\"", "\"user_id\":\"\"", StringComparison.Ordinal);

        var response = await server.Client.PostAsync("/events", Json(body));

        await ProblemAssert.IsValidationProblem(response, "events[3].user_id");
        Assert.Equal(0, await server.Services.GetRequiredService<IEventStore>().CountAsync());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task PostEvents_WhenBatchEmptyOrOverTheLimit_Returns400(int count)
    {
        await using var server = await ApiServer.StartAsync(new ModelRegistry());

        var response = await server.Client.PostAsync("/events", Json(Batch(0, count)));

        await ProblemAssert.IsValidationProblem(response, "events");
    }

    private static string Batch(int first, int count) =>
        "{\"events\":[" + string.Join(",", Enumerable.Range(first, count).Select(i =>
            $$"""{"event_id":"evt-{{i}}","user_id":"user_{{i}}","event_type":"view","item_id":"item_{{i % 7}}","session_id":"s"}""")) + "]}";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
