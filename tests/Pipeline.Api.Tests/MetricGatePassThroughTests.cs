using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Api.Hosting;
using Pipeline.Api.Tests.Hosting;

namespace Pipeline.Api.Tests;

/// <summary>
/// The metric gate function as the infra configures it (AWS_LWA_PASS_THROUGH_PATH = /internal/metric-gate), started as
/// Program.cs itself (PIPELINE_ROLE=metric-gate), answering the Web Adapter's readiness check and the POST it makes for an invoke.
/// </summary>
public sealed class MetricGatePassThroughTests : IAsyncLifetime
{
    private ProgramHost _program = null!;
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _program = new ProgramHost(new Dictionary<string, string?>
        {
            ["PIPELINE_MODE"] = "aws",
            ["PIPELINE_ROLE"] = PipelineRoles.MetricGate,
            ["AWS_LWA_PASS_THROUGH_PATH"] = PassThroughPaths.MetricGate,
        });
        _http = _program.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _program.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> InvokeAsync(string payload)
    {
        using var response = await _http.PostAsync(PassThroughPaths.MetricGate, new StringContent(payload, Encoding.UTF8, "application/json"));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Invoke_WithMetricsBelowTheMargin_AnswersKeepWithTheReason()
    {
        var (status, body) = await InvokeAsync("""{"metric":"coverage","min_improvement":0.5,"candidate":{"coverage":0.6},"served":{"coverage":0.2}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body!["promote"]!.GetValue<bool>());
        Assert.Equal("coverage 0.6 < served 0.2 + 0.5 = 0.7", body["reason"]!.GetValue<string>());
        Assert.Null(body["error"]);
    }

    [Fact]
    public async Task Invoke_WithNothingServed_AnswersPromote()
    {
        var (_, body) = await InvokeAsync("""{"metric":"coverage","min_improvement":0.5,"candidate":{"coverage":0.1},"served":null}""");

        Assert.True(body!["promote"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Invoke_WithABodyThatIsNotJson_AnswersTheGateErrorRatherThanAnHttpError()
    {
        var (status, body) = await InvokeAsync("not json");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Pipeline.InvalidGateInput", body!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheGateFunction_AnswersTheReadinessCheck_AndMapsNoApiRoute()
    {
        using var health = await _http.GetAsync("/health");
        using var recommendations = await _http.PostAsync("/recommendations", new StringContent("""{"user_id":"u"}""", Encoding.UTF8, "application/json"));
        using var sqs = await _http.PostAsync("/internal/sqs-events", new StringContent("""{"Records":[]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, recommendations.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, sqs.StatusCode);
    }
}
