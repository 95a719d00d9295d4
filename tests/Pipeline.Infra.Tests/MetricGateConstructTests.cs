using System.Text.Json.Nodes;
using Pipeline.DeploymentContract;

namespace Pipeline.Infra.Tests;

/// <summary>The metric gate function (MetricGateConstruct): hosted behind the Web Adapter, invoked by the training machine alone.</summary>
[Collection(SynthCollection.Name)]
public sealed class MetricGateConstructTests(SynthFixture synth)
{
    [Fact]
    public void MetricGate_IsAWebAdapterLambdaTheTrainingMachineAloneMayInvoke()
    {
        var (gateId, gate) = synth.ServiceJson["Resources"]!.AsObject()
            .Select(r => (r.Key, r.Value!.AsObject()))
            .Single(r => (string?)r.Item2["Type"] == "AWS::Lambda::Function" && r.Key.StartsWith("MetricGateFunction", StringComparison.Ordinal));
        var props = gate["Properties"]!;
        Assert.Equal(PassThroughPaths.MetricGate, (string?)props["Environment"]!["Variables"]!["AWS_LWA_PASS_THROUGH_PATH"]);
        Assert.Equal("/internal/metric-gate", PassThroughPaths.MetricGate);
        Assert.Contains(":layer:LambdaAdapterLayerX86:", props["Layers"]!.ToJsonString(), StringComparison.Ordinal);

        // The training role invokes this function, the in-house trainer and the online gate (and their versions) and no
        // other; nothing else may invoke them.
        var trainerId = synth.ServiceJson["Resources"]!.AsObject()
            .Single(r => (string?)r.Value!["Type"] == "AWS::Lambda::Function" && r.Key.StartsWith("InHouseTrainerFunction", StringComparison.Ordinal)).Key;
        var onlineGateId = synth.ServiceJson["Resources"]!.AsObject()
            .Single(r => (string?)r.Value!["Type"] == "AWS::Lambda::Function" && r.Key.StartsWith("OnlineGateFunction", StringComparison.Ordinal)).Key;
        var invoke = TrainingPolicy().Where(s => s["Action"]!.ToJsonString().Contains("lambda:", StringComparison.Ordinal)).ToList();
        var statement = Assert.Single(invoke);
        Assert.Equal(["lambda:InvokeFunction"], Actions(statement));
        var resources = statement["Resource"]!.AsArray().Select(r => r!.ToJsonString()).ToList();
        Assert.Equal(6, resources.Count);
        Assert.Equal(2, resources.Count(r => r.Contains($"\"{gateId}\"", StringComparison.Ordinal)));
        Assert.Equal(2, resources.Count(r => r.Contains($"\"{trainerId}\"", StringComparison.Ordinal)));
        Assert.Equal(2, resources.Count(r => r.Contains($"\"{onlineGateId}\"", StringComparison.Ordinal)));
        var otherInvokers = synth.AllResources()
            .Where(r => (string?)r.Resource["Type"] is "AWS::IAM::Policy" && !r.LogicalId.StartsWith("TrainingRoleDefaultPolicy", StringComparison.Ordinal))
            .Where(r => r.Resource.ToJsonString().Contains("lambda:InvokeFunction", StringComparison.Ordinal))
            .Select(r => r.LogicalId);
        Assert.Empty(otherInvokers);
        Assert.DoesNotContain(synth.ServiceJson["Resources"]!.AsObject(), r => (string?)r.Value!["Type"] == "AWS::Lambda::Permission"
            && r.Value!["Properties"]!["FunctionName"]!.ToJsonString().Contains(gateId, StringComparison.Ordinal));
        // The gate's own role only logs and traces: no data access.
        var gateRole = (string)props["Role"]!["Fn::GetAtt"]![0]!;
        var gatePolicies = synth.ServiceJson["Resources"]!.AsObject()
            .Where(r => (string?)r.Value!["Type"] == "AWS::IAM::Policy" && r.Value!["Properties"]!["Roles"]!.AsArray().Any(x => (string?)x!["Ref"] == gateRole))
            .SelectMany(r => r.Value!["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())
            .SelectMany(s => Actions(s!.AsObject()));
        Assert.All(gatePolicies, a => Assert.StartsWith("xray:", a, StringComparison.Ordinal));
    }

    private static List<string> Actions(JsonObject statement) =>
        statement["Action"] is JsonArray list ? [.. list.Select(a => (string)a!)] : [(string)statement["Action"]!];

    private List<JsonObject> TrainingPolicy()
    {
        var policy = synth.AllResources().Single(r => r.LogicalId.StartsWith("TrainingRoleDefaultPolicy", StringComparison.Ordinal)).Resource;
        return [.. policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject())];
    }
}
