using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;

namespace Pipeline.Infra.Tests;

/// <summary>The deployment parameters and outputs the deploy guide relies on, and the consumer's grants.</summary>
[Collection(SynthCollection.Name)]
public sealed class DeploymentParametersTests(SynthFixture synth)
{
    private static Dictionary<string, object> Obj(params (string Key, object Value)[] entries) => entries.ToDictionary(e => e.Key, e => e.Value);

    private JsonNode ConsumerPolicyStatements()
    {
        var consumerRole = synth.ServiceJson["Resources"]!.AsObject()
            .Single(r => (string?)r.Value!["Type"] == "AWS::Lambda::Function" && r.Key.StartsWith("EventsConsumer", StringComparison.Ordinal))
            .Value!["Properties"]!["Role"]!["Fn::GetAtt"]![0]!.GetValue<string>();
        return synth.ServiceJson["Resources"]!.AsObject()
            .Single(r => (string?)r.Value!["Type"] == "AWS::IAM::Policy" && r.Value!["Properties"]!["Roles"]!.AsArray().Any(x => (string?)x!["Ref"] == consumerRole))
            .Value!["Properties"]!["PolicyDocument"]!["Statement"]!;
    }

    [Fact]
    public void WebAdapterLayer_DefaultsToTheDocumentedVersion30AndContextOverridesIt()
    {
        Assert.Equal(30, new PipelineConfig().LambdaAdapterLayerVersion);
        var layers = synth.AllResources().Where(r => (string?)r.Resource["Type"] == "AWS::Lambda::Function")
            .Select(r => r.Resource["Properties"]!["Layers"]!.ToJsonString()).ToList();
        Assert.All(layers, l => Assert.Contains(":753240598075:layer:LambdaAdapterLayerX86:30", l, StringComparison.Ordinal));
        var app = new App(new AppProps { Context = new Dictionary<string, object> { ["lambdaAdapterLayerVersion"] = "27" } });
        Assert.Equal(27, PipelineConfig.FromContext(app.Node).LambdaAdapterLayerVersion);
    }

    [Fact]
    public void RegionAccountAndTrackingId_ComeFromContext()
    {
        var app = new App(new AppProps
        {
            Context = new Dictionary<string, object> { ["region"] = "eu-west-1", ["account"] = "111122223333", ["personalizeTrackingId"] = "tracking-1" },
        });
        var config = PipelineConfig.FromContext(app.Node);

        Assert.Equal(("eu-west-1", "111122223333", "tracking-1"), (config.Region, config.Account, config.PersonalizeTrackingId));
        Assert.Null(PipelineConfig.FromContext(new App().Node).Region);
    }

    [Fact]
    public void Stacks_AreEnvironmentAgnosticByDefaultAndPinnedWhenRegionIsGiven()
    {
        var pinned = new App(new AppProps { Context = new Dictionary<string, object> { ["region"] = "eu-west-1", ["personalizeTrackingId"] = "tracking-1" } });

        var stacks = PipelineApp.Build(pinned, synth.RepoRoot);

        Assert.Equal("eu-west-1", stacks.Data.Region);
        Assert.Equal("eu-west-1", stacks.Service.Region);
        Assert.True(Token.IsUnresolved(synth.Stacks.Data.Region));
        // The tracking id reaches the consumer (and only the consumer).
        Template.FromStack(stacks.Service).HasResourceProperties("AWS::Lambda::Function", Obj(
            ("Description", Match.StringLikeRegexp("events consumer")),
            ("Environment", Obj(("Variables", Match.ObjectLike(Obj(("PIPELINE_PERSONALIZE_TRACKING_ID", "tracking-1"))))))));
        Assert.DoesNotContain("PIPELINE_PERSONALIZE_TRACKING_ID", synth.ServiceJson.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Consumer_MayPutObjectsOnlyUnderEventsAndWithoutATrackingIdNoPutEvents()
    {
        var statements = ConsumerPolicyStatements().AsArray();

        var put = Assert.Single(statements, s => s!["Action"]!.ToJsonString().Contains("s3:PutObject", StringComparison.Ordinal))!;
        Assert.Contains("/events/*\"", put["Resource"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"*\"", put["Resource"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("s3:PutObject", (string?)put["Action"]);
        // With a tracking id: EventsConstructTests.Consumer_MayPutEventsOnlyWhenItForwardsAndThenOnResourceStar.
        Assert.DoesNotContain(statements, s => s!["Action"]!.ToJsonString().Contains("personalize:", StringComparison.Ordinal));
    }

    [Fact]
    public void Outputs_NameTheEndpointKeyMachineTopicQueueBucketAndPersonalizeRole()
    {
        var service = synth.ServiceJson["Outputs"]!.AsObject().Select(o => o.Key).ToHashSet();
        var data = synth.DataJson["Outputs"]!.AsObject().Select(o => o.Key).ToHashSet();

        Assert.Superset(new HashSet<string> { "ApiEndpoint", "ApiKeyId", "TrainingStateMachineArn", "AlertTopicArn", "EventsQueueUrl", "DashboardName" }, service);
        Assert.Superset(new HashSet<string> { "DataBucketName", "PersonalizeRoleArn" }, data);
    }
}
