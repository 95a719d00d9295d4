using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tests;

/// <summary>
/// The alert topic's policy replaces SNS's default one, so every publisher that is not an IAM principal of the account
/// needs a statement in it: CloudWatch alarms and the EventBridge failure rule.
/// </summary>
[Collection(SynthCollection.Name)]
public sealed class AlertTopicPolicyTests(SynthFixture synth)
{
    private const string AlarmArn = $"arn:aws:cloudwatch:{PolicyDocuments.Region}:{PolicyDocuments.Account}:alarm:pipeline-service-MonitoringApi5xx";

    private List<PolicyStatementAt> TopicStatements() =>
        [.. PolicyDocuments.All(synth).Where(s => s.Kind == "resource" && s.Where.StartsWith("service/AlertTopicPolicy", StringComparison.Ordinal))];

    [Fact]
    public void CloudWatchAlarms_OfThisAccountAndRegion_MayPublish()
    {
        var statement = Assert.Single(TopicStatements(), s => s.Service == "cloudwatch.amazonaws.com");

        Assert.True(statement.Allows);
        Assert.Equal(["sns:Publish"], statement.Actions);
        var topicId = synth.ServiceJson["Resources"]!.AsObject().Single(r => (string?)r.Value!["Type"] == "AWS::SNS::Topic").Key;
        Assert.Equal($"{{Ref:{topicId}}}", statement.Resources.Single());
        var conditions = statement.Statement["Condition"]!;
        Assert.Equal(PolicyDocuments.Account, PolicyDocuments.Resolve(conditions["StringEquals"]!["aws:SourceAccount"]));
        var sourceArn = PolicyDocuments.Resolve(conditions["ArnLike"]!["aws:SourceArn"]);
        Assert.True(PolicyDocuments.Matches(sourceArn, AlarmArn), sourceArn);
        Assert.False(PolicyDocuments.Matches(sourceArn, AlarmArn.Replace(PolicyDocuments.Account, "999999999999", StringComparison.Ordinal)));
    }

    [Fact]
    public void EventBridge_MayPublishOnlyForTheFailureRuleOfThisAccount()
    {
        var statement = Assert.Single(TopicStatements(), s => s.Service == "events.amazonaws.com");

        Assert.True(statement.Allows);
        Assert.Equal(["sns:Publish"], statement.Actions);
        var conditions = statement.Statement["Condition"]!;
        Assert.Equal(PolicyDocuments.Account, PolicyDocuments.Resolve(conditions["StringEquals"]!["aws:SourceAccount"]));
        var topicId = synth.ServiceJson["Resources"]!.AsObject().Single(r => (string?)r.Value!["Type"] == "AWS::SNS::Topic").Key;
        var ruleId = synth.ServiceJson["Resources"]!.AsObject().Single(r => (string?)r.Value!["Type"] == "AWS::Events::Rule"
            && (string?)r.Value!["Properties"]!["Targets"]![0]!["Arn"]!["Ref"] == topicId).Key;
        Assert.Equal($"{{\"Fn::GetAtt\":[\"{ruleId}\",\"Arn\"]}}", conditions["ArnEquals"]!["aws:SourceArn"]!.ToJsonString());
    }

    [Fact]
    public void EveryAlarmAndTheFailureRule_PublishToTheTopicThePolicyCovers()
    {
        var topicId = synth.ServiceJson["Resources"]!.AsObject().Single(r => (string?)r.Value!["Type"] == "AWS::SNS::Topic").Key;
        var alarms = synth.ServiceJson["Resources"]!.AsObject().Where(r => (string?)r.Value!["Type"] == "AWS::CloudWatch::Alarm").ToList();
        var principals = TopicStatements().Where(s => s.Allows).Select(s => s.Service).ToHashSet();

        Assert.NotEmpty(alarms);
        Assert.All(alarms, a => Assert.Equal(topicId, (string?)a.Value!["Properties"]!["AlarmActions"]![0]!["Ref"]));
        Assert.Contains("cloudwatch.amazonaws.com", principals);
        Assert.Contains("events.amazonaws.com", principals);
    }
}
