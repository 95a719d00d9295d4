using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Pipeline.Workflows.Local.Tests;

/// <summary>The webhook sink against a real Kestrel listener on a free loopback port.</summary>
public sealed class WebhookAlertSinkTests : IAsyncLifetime
{
    private readonly List<(string? ContentType, string Body)> _received = [];
    private WebApplication _app = null!;
    private int _status = StatusCodes.Status204NoContent;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            lock (_received) _received.Add((request.ContentType, body));
            return Results.StatusCode(_status);
        });
        await _app.StartAsync();
    }

    private Uri Hook => new(_app.Urls.First() + "/hook");

    private static Alert SampleAlert() => new(
        new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero), "arn:aws:sns:us-east-1:000000000000:alerts", "Pipeline training failed",
        """{"failedState":"DescribeSolutionVersion","error":{"Error":"Personalize.SolutionVersionFailed"}}""",
        "arn:aws:states:us-east-1:000000000000:execution:training:run-1", "NotifyFailure");

    [Fact]
    public async Task Publish_PostsTheAlertJson_ToTheUrl()
    {
        using var http = new HttpClient();
        var sink = new WebhookAlertSink(http, Hook);

        await sink.PublishAsync(SampleAlert(), CancellationToken.None);

        var (contentType, body) = Assert.Single(_received);
        Assert.StartsWith("application/json", contentType, StringComparison.Ordinal);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("Pipeline training failed", json["subject"]!.GetValue<string>());
        Assert.Equal("DescribeSolutionVersion", json["message"]!["failedState"]!.GetValue<string>());
        Assert.Equal("arn:aws:states:us-east-1:000000000000:execution:training:run-1", json["execution"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(SampleAlert().ToJson(), json));
        Assert.Empty(sink.Failures);
    }

    [Fact]
    public async Task Publish_WhenTheWebhookAnswers500_ReportsTheFailureWithoutThrowing()
    {
        _status = StatusCodes.Status500InternalServerError;
        using var http = new HttpClient();
        var reported = new List<string>();
        var sink = new WebhookAlertSink(http, Hook, reported.Add);

        await sink.PublishAsync(SampleAlert(), CancellationToken.None);

        Assert.Single(_received);
        Assert.Contains("500", Assert.Single(reported), StringComparison.Ordinal);
        Assert.Equal(reported, sink.Failures);
    }

    [Fact]
    public async Task Publish_WhenNothingListens_ReportsTheFailureWithoutThrowing()
    {
        var url = Hook;
        await _app.StopAsync();
        using var http = new HttpClient();
        var sink = new WebhookAlertSink(http, url);

        await sink.PublishAsync(SampleAlert(), CancellationToken.None);

        Assert.Contains(url.ToString(), Assert.Single(sink.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Composite_WritesTheLogAndPostsTheWebhook()
    {
        var log = Path.Combine(Path.GetTempPath(), "pipeline-alerts-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            using var http = new HttpClient();
            var sink = new CompositeAlertSink(new FileAlertSink(log), new WebhookAlertSink(http, Hook));

            await sink.PublishAsync(SampleAlert(), CancellationToken.None);

            var line = JsonNode.Parse(Assert.Single(File.ReadAllLines(log)))!;
            Assert.True(JsonNode.DeepEquals(line, JsonNode.Parse(Assert.Single(_received).Body)));
        }
        finally
        {
            File.Delete(log);
        }
    }

    [Theory]
    [InlineData("ftp://example.com/hook")]
    [InlineData("/relative")]
    [InlineData("not a url")]
    public void ParseUrl_RejectsAnythingButAbsoluteHttp(string text)
    {
        Assert.Null(WebhookAlertSink.ParseUrl(text, out var problem));
        Assert.Contains(text, problem, StringComparison.Ordinal);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();
}
