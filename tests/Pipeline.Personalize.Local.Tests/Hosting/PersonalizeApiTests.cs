using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Hosting;
using Pipeline.Personalize.Local.Lifecycle;

namespace Pipeline.Personalize.Local.Tests.Hosting;

/// <summary>The wire: JSON 1.1 dispatch by X-Amz-Target and Personalize's error shapes over HTTP.</summary>
public sealed class PersonalizeApiTests : PersonalizeWire
{
    private async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> Post(string path, string? target, string body)
    {
        var (response, text) = await SendAsync(path, target, body);
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject(), response);
    }

    [Fact]
    public async Task ControlPlane_DispatchesByTarget_AndAnswersJson11()
    {
        var (status, body, response) = await Post("/", "AmazonPersonalize.CreateDatasetGroup", """{"name": "shop"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/x-amz-json-1.1", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("arn:aws:personalize:us-east-1:000000000000:dataset-group/shop", body["datasetGroupArn"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnError_Is400_WithTypeInBodyAndHeader()
    {
        var (status, body, response) = await Post("/", "AmazonPersonalize.DescribeSchema", """{"schemaArn": "arn:aws:personalize:us-east-1:000000000000:schema/none"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ResourceNotFoundException", body["__type"]!.GetValue<string>());
        Assert.Contains("schema/none", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("ResourceNotFoundException", response.Headers.GetValues("x-amzn-ErrorType").Single());
    }

    [Fact]
    public async Task ABodyThatIsNotJson_IsASerializationException_AndChangesNothing()
    {
        var (status, body, _) = await Post("/", "AmazonPersonalize.CreateDatasetGroup", "{name: shop");
        var (_, list, _) = await Post("/", "AmazonPersonalize.ListDatasetGroups", "{}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("SerializationException", body["__type"]!.GetValue<string>());
        Assert.Empty(list["datasetGroups"]!.AsArray());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("AmazonPersonalize.DescribeNothing")]
    [InlineData("AmazonS3.ListBuckets")]
    public async Task AnUnknownTarget_IsAnUnknownOperationException(string? target)
    {
        var (status, body, _) = await Post("/", target ?? "", "{}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("UnknownOperationException", body["__type"]!.GetValue<string>());
    }

    [Fact]
    public async Task RuntimeErrors_UseRestJson()
    {
        var (status, body, response) = await Post("/recommendations", null, """{"campaignArn": "arn:aws:personalize:us-east-1:000000000000:campaign/none", "userId": "u"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("ResourceNotFoundException", body["__type"]!.GetValue<string>());
    }
}
