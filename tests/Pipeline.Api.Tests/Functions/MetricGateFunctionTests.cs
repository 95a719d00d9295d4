using System.Text.Json.Nodes;
using Pipeline.Api.Functions;
using Pipeline.Domain.Training;

namespace Pipeline.Api.Tests.Functions;

public sealed class MetricGateFunctionTests
{
    private const string Ndcg = "normalized_discounted_cumulative_gain_at_10";
    private readonly MetricGateFunction _handler = new(new PromotionRule());

    private static JsonObject Payload(decimal minImprovement, JsonNode? candidate, JsonNode? served) => new()
    {
        ["metric"] = Ndcg,
        ["min_improvement"] = minImprovement,
        ["candidate"] = candidate,
        ["served"] = served,
    };

    private static JsonObject Scores(double ndcg) => new() { [Ndcg] = ndcg, ["coverage"] = 0.5 };

    [Fact]
    public void Handle_WhenCandidateEqualsServedPlusMargin_Promotes()
    {
        // 0.3 + 0.1 is 0.4000000000000001 in doubles: the comparison must be decimal to let this boundary pass.
        var decision = _handler.Handle(Payload(0.1m, Scores(0.4), Scores(0.3)));

        Assert.True(decision.Promote, decision.Reason);
        Assert.Null(decision.Error);
        Assert.Equal($"{Ndcg} 0.4 >= served 0.3 + 0.1", decision.Reason);
    }

    [Fact]
    public void Handle_WhenCandidateIsJustBelowServedPlusMargin_KeepsTheServedVersion()
    {
        var decision = _handler.Handle(Payload(0.1m, Scores(0.3999), Scores(0.3)));

        Assert.False(decision.Promote);
        Assert.Null(decision.Error);
        Assert.Equal($"{Ndcg} 0.3999 < served 0.3 + 0.1 = 0.4", decision.Reason);
    }

    [Fact]
    public void Handle_WhenMarginIsZeroAndScoresAreEqual_Promotes()
    {
        Assert.True(_handler.Handle(Payload(0m, Scores(0.25), Scores(0.25))).Promote);
    }

    [Fact]
    public void Handle_WhenCandidateBeatsServedByMoreThanTheMargin_Promotes()
    {
        Assert.True(_handler.Handle(Payload(0.05m, Scores(0.5), Scores(0.3))).Promote);
    }

    [Fact]
    public void Handle_WhenNoVersionIsServed_PromotesWhateverTheMargin()
    {
        var decision = _handler.Handle(Payload(0.9m, Scores(0.01), null));

        Assert.True(decision.Promote);
        Assert.Null(decision.Error);
        Assert.StartsWith("no version is served yet", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Handle_WhenServedMemberIsAbsent_TreatsItAsNoServedVersion()
    {
        var payload = Payload(0.5m, Scores(0.1), null);
        payload.Remove("served");

        Assert.True(_handler.Handle(payload).Promote);
    }

    [Fact]
    public void Handle_WhenTheCandidateLacksTheMetric_FailsTheGateNamingTheMetric()
    {
        var decision = _handler.Handle(Payload(0m, new JsonObject { ["coverage"] = 0.4 }, Scores(0.3)));

        Assert.False(decision.Promote);
        Assert.Equal(GateDecision.MetricMissing, decision.Error);
        Assert.Equal($"the new version reports no {Ndcg} (its metrics: coverage)", decision.Reason);
    }

    [Fact]
    public void Handle_WhenTheCandidatesMetricIsNotANumber_FailsTheGate()
    {
        var decision = _handler.Handle(Payload(0m, new JsonObject { [Ndcg] = "high" }, null));

        Assert.Equal(GateDecision.MetricMissing, decision.Error);
    }

    [Fact]
    public void Handle_WhenTheServedVersionLacksTheMetric_PromotesRatherThanKeepingAnUncomparableVersion()
    {
        var decision = _handler.Handle(Payload(0.2m, Scores(0.1), new JsonObject { ["coverage"] = 0.9 }));

        Assert.True(decision.Promote);
        Assert.StartsWith($"the served version reports no {Ndcg}", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"metric":"coverage","min_improvement":-0.1,"candidate":{"coverage":1},"served":null}""", "min_improvement must be a number >= 0")]
    [InlineData("""{"metric":"coverage","min_improvement":"0.1","candidate":{"coverage":1},"served":null}""", "min_improvement must be a number >= 0")]
    [InlineData("""{"metric":"coverage","candidate":{"coverage":1},"served":null}""", "min_improvement must be a number >= 0")]
    [InlineData("""{"min_improvement":0,"candidate":{"coverage":1},"served":null}""", "metric must be a string")]
    [InlineData("""{"metric":"coverage","min_improvement":0,"served":null}""", "candidate must be an object")]
    [InlineData("""{"metric":"coverage","min_improvement":0,"candidate":{"coverage":1},"served":[1]}""", "served must be an object")]
    [InlineData("""[1]""", "the payload must be a JSON object")]
    public void Handle_WhenThePayloadIsMalformed_FailsTheGateNamingTheField(string payload, string reason)
    {
        var decision = _handler.Handle(JsonNode.Parse(payload));

        Assert.False(decision.Promote);
        Assert.Equal(GateDecision.InvalidGateInput, decision.Error);
        Assert.StartsWith(reason, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void HandleJson_AnswersPromoteReasonAndANullError()
    {
        var answer = _handler.HandleJson(JsonNode.Parse($$$"""{"metric":"{{{Ndcg}}}","min_improvement":0.5,"candidate":{"{{{Ndcg}}}":0.31},"served":{"{{{Ndcg}}}":0.3}}"""));

        Assert.False(answer["promote"]!.GetValue<bool>());
        Assert.Contains("< served 0.3 + 0.5 = 0.8", answer["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(answer.ContainsKey("error"));
        Assert.Null(answer["error"]);
    }
}
