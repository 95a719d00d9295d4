using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Pipeline.Api.Tests.Observability;

public sealed class RequestIdTests(SampleModels models) : IClassFixture<SampleModels>
{
    [Fact]
    public async Task Request_WithAnXRequestId_EchoesIt_AndProblemBodiesCarryIt()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/recommendations")
        {
            Content = new StringContent("""{"user_id":5}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-request-id", "client-chosen-42");

        var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("client-chosen-42", response.Headers.GetValues("x-request-id").Single());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("client-chosen-42", problem.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task Request_WithoutAUsableRequestId_GetsAFreshOnePerRequest()
    {
        await using var server = await ApiServer.StartAsync(models.Registry());
        using var unusable = new HttpRequestMessage(HttpMethod.Get, "/items/none");
        unusable.Headers.TryAddWithoutValidation("x-request-id", new string('x', 500));

        var first = await server.Client.GetAsync("/health");
        var second = await server.Client.GetAsync("/health");
        var third = await server.Client.SendAsync(unusable);

        var ids = new[] { first, second, third }.Select(r => r.Headers.GetValues("x-request-id").Single()).ToArray();
        Assert.Equal(3, ids.Distinct().Count());
        Assert.All(ids, id => Assert.InRange(id.Length, 8, 128));
        var problem = await third.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ids[2], problem.GetProperty("request_id").GetString());
    }
}
