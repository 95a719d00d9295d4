using System.Net;
using System.Text.Json;

namespace Pipeline.Api.Tests.Apis;

/// <summary>
/// Concurrent admin requests on one experiment (issue #18 item 5): each decision is a conditional write, so of
/// requests acting on the same state exactly one is applied and the others are 409; nothing is applied twice.
/// </summary>
public sealed class ExperimentsRaceTests(SampleModels models) : IClassFixture<SampleModels>
{
    [Fact]
    public async Task ConcurrentCreates_WithOneKey_AreOne201AndTheRest409()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());

        var statuses = await Concurrently(12, _ => server.Post("/experiments", ExperimentsApiClient.TwoArms));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(11, statuses.Count(s => s == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task ConcurrentStarts_StartOnce_AndKeepTheWinnersStartedAt()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());
        await server.Post("/experiments", ExperimentsApiClient.TwoArms).Ok();
        var bodies = new string?[8];

        var statuses = await Concurrently(8, async i =>
        {
            var response = await server.Post("/experiments/default/start");
            bodies[i] = await response.Content.ReadAsStringAsync();
            return response;
        });

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.Conflict));
        var winner = JsonDocument.Parse(bodies[Array.IndexOf(statuses, HttpStatusCode.OK)]!).RootElement;
        var stored = await server.GetJson("/experiments/default");
        Assert.Equal(winner.GetProperty("started_at").GetString(), stored.GetProperty("started_at").GetString());
    }

    [Fact]
    public async Task ConcurrentReversionings_AdvanceThePhaseOncePerAcceptedRequest()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());
        await server.StartDefault();

        var statuses = await Concurrently(8, i =>
            server.Put("/experiments/default/weights", $$"""{"weights":{"a":0.{{i + 1}},"b":0.{{9 - i}}},"reassign":true}"""));

        var accepted = statuses.Count(s => s == HttpStatusCode.OK);
        Assert.InRange(accepted, 1, 8);
        Assert.Equal(8 - accepted, statuses.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal(accepted, (await server.GetJson("/experiments/default")).GetProperty("phase").GetInt32());
    }

    private static async Task<HttpStatusCode[]> Concurrently(int count, Func<int, Task<HttpResponseMessage>> send)
    {
        using var go = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            go.Wait();
            using var response = await send(i);
            return response.StatusCode;
        })).ToArray();
        go.Set();
        return await Task.WhenAll(calls);
    }
}
