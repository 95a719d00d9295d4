using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Pipeline.Personalize.Local.Tests.Hosting;

/// <summary>
/// What a web page on another site could send from the user's browser (issue #18 item 10): a request naming its own
/// host (DNS rebinding onto 127.0.0.1) and a text/plain body (sent cross-site without a preflight). Both are refused
/// in Personalize's error shape and change nothing.
/// </summary>
public sealed class CrossSiteRequestTests : PersonalizeWire
{
    [Theory]
    [InlineData("evil.example")]
    [InlineData("127.0.0.1.evil.example")]
    [InlineData("localhost.evil.example:80")]
    public async Task ARequestNamingAnotherHost_IsAccessDenied_AndCreatesNothing(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Server.Endpoint, "/"))
        {
            Content = new StringContent("""{"name":"rebound"}""", Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        request.Headers.Add("X-Amz-Target", "AmazonPersonalize.CreateDatasetGroup");
        request.Headers.Host = host;

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("AccessDeniedException", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["__type"]!.GetValue<string>());
        Assert.Empty(await DatasetGroupsAsync());
    }

    [Theory]
    [InlineData("/", "text/plain")]
    [InlineData("/users", "text/plain")]
    [InlineData("/events", "application/x-www-form-urlencoded")]
    public async Task ABodyOfASimpleCrossSiteType_IsASerializationException_AndCreatesNothing(string path, string mediaType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Server.Endpoint, path))
        {
            Content = new StringContent("""{"name":"plain"}""", Encoding.UTF8, mediaType),
        };
        request.Headers.Add("X-Amz-Target", "AmazonPersonalize.CreateDatasetGroup");

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("SerializationException", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["__type"]!.GetValue<string>());
        Assert.Empty(await DatasetGroupsAsync());
    }

    [Fact]
    public async Task ARequestNamingLocalhost_IsServed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Server.Endpoint, "/"))
        {
            Content = new StringContent("""{"name":"local"}""", Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        request.Headers.Add("X-Amz-Target", "AmazonPersonalize.CreateDatasetGroup");
        request.Headers.Host = $"localhost:{Server.Endpoint.Port}";

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await DatasetGroupsAsync());
    }

    private async Task<JsonArray> DatasetGroupsAsync()
    {
        var (response, text) = await SendAsync("/", "AmazonPersonalize.ListDatasetGroups", "{}");
        response.Dispose();
        return JsonNode.Parse(text)!["datasetGroups"]!.AsArray();
    }
}
