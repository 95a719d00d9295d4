using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Domain.Catalog;
using Pipeline.Domain.Events;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Tests.Http;

/// <summary>Timestamps on POST /events and PUT /items: epoch seconds or ISO 8601 with offset, from 2000 to a day past now.</summary>
public sealed class TimestampsTests
{
    public static TheoryData<string> Refused() =>
    [
        "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"", "\"1/2/2020\"", "\"2020-01-02\"", "\"2024-03-01T12:00:00\"",
        "\"Tue, 05 Mar 2024 10:00:00 GMT\"", "\"1999-12-31T23:59:59Z\"", "-1", "0", "1e300", "253402300799", "\"1700000000\"", "true",
        $"\"{DateTimeOffset.UtcNow.AddDays(2):yyyy-MM-ddTHH:mm:ssZ}\"",
    ];

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task PostEvent_WithATimestampOutsideTheFormatsOrWindow_Is400NamingTimestamp_AndStoresNothing(string timestamp)
    {
        await using var server = await ApiServer.StartAsync(new ModelRegistry());

        var response = await server.Client.PostAsync("/events", Json(
            $$"""{"user_id":"u1","event_type":"click","item_id":"i1","session_id":"s","timestamp":{{timestamp}}}"""));

        await ProblemAssert.IsValidationProblem(response, "timestamp");
        Assert.Equal(0, await server.Services.GetRequiredService<IEventStore>().CountAsync());
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task PutItems_WithACreationTimestampOutsideTheFormatsOrWindow_Is400_AndStoresNothing(string timestamp)
    {
        await using var server = await ApiServer.StartAsync(new ModelRegistry());

        var response = await server.Client.PutAsync("/items", Json($$"""{"items":[{"item_id":"i1","creation_timestamp":{{timestamp}}}]}"""));

        await ProblemAssert.IsValidationProblem(response, "items[0].creation_timestamp");
        Assert.Equal(0, await server.Services.GetRequiredService<IItemStore>().CountAsync());
    }

    [Theory]
    [InlineData("1700000000", 1700000000_000L)]
    [InlineData("1700000000.25", 1700000000_250L)]
    [InlineData("\"2024-03-01T12:00:00Z\"", 1709294400_000L)]
    [InlineData("\"2024-03-01T14:00:00.5+02:00\"", 1709294400_500L)]
    public async Task PostEvent_WithEpochSecondsOrIso8601_StoresThatInstant(string timestamp, long expectedMilliseconds)
    {
        await using var server = await ApiServer.StartAsync(new ModelRegistry());

        var response = await server.Client.PostAsync("/events", Json(
            $$"""{"event_id":"e1","user_id":"u1","event_type":"click","item_id":"i1","session_id":"s","timestamp":{{timestamp}}}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var stored = await server.Services.GetRequiredService<IEventStore>().GetAsync("e1");
        Assert.Equal(expectedMilliseconds, stored!.Timestamp.ToUnixTimeMilliseconds());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
