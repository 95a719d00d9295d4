using System.Text.Json.Nodes;
using Pipeline.Api.Functions;
using Pipeline.Domain.Training.OnlineGate;

namespace Pipeline.Api.Tests.Functions;

public sealed class OnlineGateSettingsJsonTests
{
    [Fact]
    public void Parse_AnEmptyObject_GivesTheDefaults()
    {
        var settings = OnlineGateSettingsJson.Parse(new JsonObject(), out var errors);

        Assert.Empty(errors);
        Assert.Equal(new OnlineGateSettings(null, 0.1, 1000, 14, "ctr", ["fallback_rate"], 3600) with { Guardrails = settings!.Guardrails }, settings);
        Assert.Equal(["fallback_rate"], settings.Guardrails);
    }

    [Fact]
    public void Parse_EveryField_RoundTripsThroughToJson()
    {
        var input = new JsonObject
        {
            ["recipe"] = "aws-user-personalization",
            ["weight"] = 0.25,
            ["min_users"] = 300,
            ["max_days"] = 7,
            ["metric"] = "conversion_rate",
            ["guardrails"] = new JsonArray("latency_ms", "fallback_rate", "latency_p99_ms"),
            ["poll_seconds"] = 60,
        };

        var settings = OnlineGateSettingsJson.Parse(input, out var errors);

        Assert.Empty(errors);
        Assert.Equal("aws-user-personalization", settings!.Recipe);
        Assert.Equal((0.25, 300L, 7.0, "conversion_rate", 60), (settings.Weight, settings.MinUsers, settings.MaxDays, settings.Metric, settings.PollSeconds));
        Assert.Equal(["latency_ms", "fallback_rate", "latency_p99_ms"], settings.Guardrails);
        Assert.True(JsonNode.DeepEquals(input, settings.ToJson()), settings.ToJson().ToJsonString());
    }

    [Theory]
    [InlineData("weight", "0", "online_gate.weight must be a number in (0, 0.5]: the challenger's share of the traffic")]
    [InlineData("weight", "0.6", "online_gate.weight must be a number in (0, 0.5]: the challenger's share of the traffic")]
    [InlineData("weight", "\"0.1\"", "online_gate.weight must be a number in (0, 0.5]: the challenger's share of the traffic")]
    [InlineData("min_users", "0", "online_gate.min_users must be a whole number >= 1: the challenger's exposed users needed to promote it")]
    [InlineData("min_users", "10.5", "online_gate.min_users must be a whole number >= 1: the challenger's exposed users needed to promote it")]
    [InlineData("max_days", "31", "online_gate.max_days must be a number in (0, 30]: how long to wait for evidence")]
    [InlineData("max_days", "-1", "online_gate.max_days must be a number in (0, 30]: how long to wait for evidence")]
    [InlineData("poll_seconds", "0", "online_gate.poll_seconds must be a whole number in [1, 86400]: the wait between two decisions")]
    [InlineData("metric", "\"ndcg\"", "online_gate.metric must be one of ctr, conversion_rate, revenue_per_user, clicks_per_user")]
    [InlineData("recipe", "\"\"", "online_gate.recipe must be a non-empty string: the recipe of this run whose new model is the challenger")]
    [InlineData("guardrails", "\"latency_ms\"", "online_gate.guardrails must be an array of latency_ms, fallback_rate, latency_p99_ms")]
    [InlineData("weights", "0.1", "online_gate.weights is not a setting of the online gate")]
    public void Parse_AnInvalidField_IsReportedUnderItsName(string field, string json, string message)
    {
        var settings = OnlineGateSettingsJson.Parse(new JsonObject { [field] = JsonNode.Parse(json) }, out var errors);

        Assert.Null(settings);
        Assert.Equal(new Dictionary<string, string> { ["online_gate." + field] = message }, errors);
    }

    [Fact]
    public void Parse_ReportsEveryInvalidField_AndTheIndexOfABadGuardrail()
    {
        var settings = OnlineGateSettingsJson.Parse(new JsonObject
        {
            ["weight"] = 2,
            ["guardrails"] = new JsonArray("fallback_rate", "p99"),
        }, out var errors);

        Assert.Null(settings);
        Assert.Equal(["online_gate.guardrails[1]", "online_gate.weight"], errors.Keys);
        Assert.Equal("online_gate.guardrails[1] must be one of latency_ms, fallback_rate, latency_p99_ms", errors["online_gate.guardrails[1]"]);
    }

    [Fact]
    public void Parse_NotAnObject_NamesOnlineGate()
    {
        Assert.Null(OnlineGateSettingsJson.Parse(JsonValue.Create(3), out var errors));
        Assert.Equal(["online_gate"], errors.Keys);
    }
}
