using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;

namespace Pipeline.Infra.Tests;

/// <summary>The events consumer (EventsConstruct) on a real account: PutEvents granted the way Personalize authorizes it.</summary>
[Collection(SynthCollection.Name)]
public sealed class EventsConstructTests(SynthFixture synth)
{
    [Fact]
    public void Consumer_MayPutEventsOnlyWhenItForwardsAndThenOnResourceStar()
    {
        Assert.DoesNotContain(PolicyDocuments.All(synth), s => s.Actions.Contains("personalize:PutEvents"));

        var context = SynthFixture.CdkJsonContext(synth.RepoRoot);
        context["personalizeTrackingId"] = "0123abcd-tracking";
        var app = new Amazon.CDK.App(new Amazon.CDK.AppProps { Context = context });
        var service = Template.FromStack(Pipeline.Infra.PipelineApp.Build(app, synth.RepoRoot).Service).ToJSON();
        var json = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(service))!;
        var statements = json["Resources"]!.AsObject().Where(r => (string?)r.Value!["Type"] == "AWS::IAM::Policy")
            .SelectMany(r => r.Value!["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => (Id: r.Key, Statement: s!)))
            .Where(s => PolicyDocuments.Strings(s.Statement["Action"]).Contains("personalize:PutEvents")).ToList();

        var (id, statement) = Assert.Single(statements);
        Assert.StartsWith("EventsConsumer", id, StringComparison.Ordinal);
        Assert.Equal("*", (string?)statement["Resource"]);
    }
}
