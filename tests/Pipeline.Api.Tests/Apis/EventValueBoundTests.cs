using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Domain.Events;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Tests.Apis;

/// <summary><c>event_value</c> is bounded by <c>Events:MaxEventValue</c> (1,000,000 unless configured).</summary>
public sealed class EventValueBoundTests
{
    [Theory]
    [InlineData(null, "1e200")]
    [InlineData(null, "1000000.01")]
    [InlineData("250", "250.5")]
    public async Task PostEvent_WithAValueAboveTheMaximum_Is400NamingEventValue_AndStoresNothing(string? maximum, string value)
    {
        await using var server = await ApiServer.StartAsync(new ModelRegistry(), settings: maximum is null ? null : new Dictionary<string, string?> { ["Events:MaxEventValue"] = maximum });

        var response = await server.Client.PostAsync("/events", new StringContent(
            $$"""{"events":[{"user_id":"u1","event_type":"purchase","item_id":"i1","session_id":"s","event_value":5},{"user_id":"u1","event_type":"purchase","item_id":"i1","session_id":"s","event_value":{{value}}}]}""",
            Encoding.UTF8, "application/json"));

        await ProblemAssert.IsValidationProblem(response, "events[1].event_value");
        Assert.Equal(0, await server.Services.GetRequiredService<IEventStore>().CountAsync());
    }

    [Fact]
    public async Task PostEvent_AtTheMaximum_IsAccepted()
    {
        await using var server = await ApiServer.StartAsync(new ModelRegistry());

        var response = await server.Client.PostAsync("/events", new StringContent(
            """{"user_id":"u1","event_type":"purchase","item_id":"i1","session_id":"s","event_value":1000000}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
