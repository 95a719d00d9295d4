using System.Net;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Tests.Apis;

public sealed class WorkflowsApiTests
{
    [Theory]
    [InlineData("GET", "/workflows")]
    [InlineData("GET", "/workflows/executions/some-run")]
    [InlineData("GET", "/workflows/executions/some-run/graph")]
    [InlineData("POST", "/workflows/training/executions")]
    public async Task Workflows_WithoutAnExecutionsSource_Answer501_SayingWhereToLook(string method, string path)
    {
        // The API alone (and on AWS): no runner to read, so a problem rather than an empty list that looks like "no runs".
        await using var server = await ApiServer.StartAsync(new ModelRegistry());

        using var response = await server.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "POST" ? new StringContent("""{"input":{}}""", System.Text.Encoding.UTF8, "application/json") : null,
        });

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("aws stepfunctions list-executions", await response.Content.ReadAsStringAsync());
    }
}
