using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using Pipeline.Workflows;

namespace Pipeline.Infra.Tests;

[Collection(SynthCollection.Name)]
public sealed class ServiceStackTests(SynthFixture synth)
{
    private static Dictionary<string, object> Obj(params (string Key, object Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value);

    private IEnumerable<JsonObject> Resources(string type) =>
        synth.AllResources().Where(r => (string?)r.Resource["Type"] == type).Select(r => r.Resource);

    [Fact]
    public void EventsQueue_RedrivesToTheDlqAfterFiveReceives()
    {
        var queues = synth.ServiceJson["Resources"]!.AsObject().Where(r => (string?)r.Value!["Type"] == "AWS::SQS::Queue").ToList();
        Assert.Equal(2, queues.Count);
        var dlqId = Assert.Single(queues, q => q.Key.StartsWith("EventsDeadLetterQueue", StringComparison.Ordinal)).Key;
        var main = Assert.Single(queues, q => q.Value!["Properties"]!["RedrivePolicy"] is not null).Value!;
        var redrive = main["Properties"]!["RedrivePolicy"]!;
        Assert.Equal(5, (int)redrive["maxReceiveCount"]!);
        Assert.Equal(dlqId, (string?)redrive["deadLetterTargetArn"]!["Fn::GetAtt"]![0]);
        Assert.Equal(1209600, (int)queues.Single(q => q.Key == dlqId).Value!["Properties"]!["MessageRetentionPeriod"]!);
    }

    [Fact]
    public void FallbackWarnings_InTheApiLogs_BecomeTheFallbackResponsesMetric()
    {
        var filter = Assert.Single(Resources("AWS::Logs::MetricFilter"))["Properties"]!;
        Assert.Equal("{ $.EventId = 1001 }", (string?)filter["FilterPattern"]);
        var transformation = filter["MetricTransformations"]![0]!;
        Assert.Equal("FallbackResponses", (string?)transformation["MetricName"]);
        Assert.Equal("pipeline/Api", (string?)transformation["MetricNamespace"]);
        Assert.StartsWith("ApiLogs", (string?)filter["LogGroupName"]!["Ref"], StringComparison.Ordinal);
    }

    [Fact]
    public void Waf_IsOffByDefaultAndGuardsTheApiStageWhenEnabled()
    {
        synth.ServiceTemplate.ResourceCountIs("AWS::WAFv2::WebACL", 0);
        var app = new Amazon.CDK.App(new Amazon.CDK.AppProps { Context = new Dictionary<string, object> { ["enableWaf"] = "true" } });
        var template = Template.FromStack(PipelineApp.Build(app, synth.RepoRoot).Service);
        template.HasResourceProperties("AWS::WAFv2::WebACL", Obj(("Scope", "REGIONAL")));
        var acl = template.ToJSON()["Resources"] is { } resources
            ? JsonNode.Parse(JsonSerializer.Serialize(resources))!.AsObject().Single(r => (string?)r.Value!["Type"] == "AWS::WAFv2::WebACL").Value!
            : throw new InvalidOperationException("no resources");
        var rules = acl["Properties"]!["Rules"]!.AsArray();
        Assert.Equal(2000, (int)rules.Single(r => (string?)r!["Name"] == "RatePerIp")!["Statement"]!["RateBasedStatement"]!["Limit"]!);
        Assert.Equal("AWSManagedRulesCommonRuleSet", (string?)rules.Single(r => (string?)r!["Name"] == "AwsCommonRules")!["Statement"]!["ManagedRuleGroupStatement"]!["Name"]);
        template.ResourceCountIs("AWS::WAFv2::WebACLAssociation", 1);
    }

    [Fact]
    public void Consumer_ReportsBatchItemFailures()
    {
        synth.ServiceTemplate.HasResourceProperties("AWS::Lambda::EventSourceMapping", Obj(
            ("FunctionResponseTypes", new[] { "ReportBatchItemFailures" }),
            ("BatchSize", 10)));
    }

    [Fact]
    public void Lambdas_RunOnProvidedAl2023WithTheWebAdapterLayer()
    {
        var functions = Resources("AWS::Lambda::Function").ToList();
        // One package, one role each (Program.cs composes by PIPELINE_ROLE): API, events consumer, metric gate, in-house trainer, bandit updater, online gate.
        Assert.Equal(["api", "bandit-updater", "events-consumer", "in-house-trainer", "metric-gate", "online-gate"],
            functions.Select(fn => (string?)fn["Properties"]!["Environment"]!["Variables"]!["PIPELINE_ROLE"]).Order(StringComparer.Ordinal));
        foreach (var fn in functions)
        {
            var p = fn["Properties"]!;
            Assert.Equal("provided.al2023", (string?)p["Runtime"]);
            Assert.Equal("bootstrap", (string?)p["Handler"]);
            Assert.Equal(1024, (int)p["MemorySize"]!);
            Assert.Contains(":layer:LambdaAdapterLayerX86:", p["Layers"]!.ToJsonString(), StringComparison.Ordinal);
            Assert.Equal("8080", (string?)p["Environment"]!["Variables"]!["AWS_LWA_PORT"]);
        }
    }

    [Fact]
    public void Api_HasThrottlingAccessLogsAndAnApiKeyWithUsagePlan()
    {
        synth.ServiceTemplate.HasResourceProperties("AWS::ApiGateway::Stage", Obj(
            ("StageName", "v1"),
            ("AccessLogSetting", Match.ObjectLike(Obj(("DestinationArn", Match.AnyValue())))),
            ("MethodSettings", Match.ArrayWith([Match.ObjectLike(Obj(("ThrottlingRateLimit", 100), ("ThrottlingBurstLimit", 200)))]))));
        synth.ServiceTemplate.ResourceCountIs("AWS::ApiGateway::ApiKey", 1);
        synth.ServiceTemplate.HasResourceProperties("AWS::ApiGateway::UsagePlan", Obj(
            ("Throttle", Obj(("RateLimit", 100), ("BurstLimit", 200)))));
        synth.ServiceTemplate.ResourceCountIs("AWS::ApiGateway::UsagePlanKey", 1);
        // Every method but the health check and the IAM-authorized admin routes (AdminRoutesTests) requires the key.
        var methods = Resources("AWS::ApiGateway::Method").Where(m => (string?)m["Properties"]!["AuthorizationType"] != "AWS_IAM").ToList();
        Assert.Equal(methods.Count - 1, methods.Count(m => (bool?)m["Properties"]!["ApiKeyRequired"] == true));
    }

    [Fact]
    public void RetrainingRule_UsesTheDefaultNightlyCronAndStartsTheMachine()
    {
        var rule = Assert.Single(Resources("AWS::Events::Rule"), r => ((string?)r["Properties"]!["ScheduleExpression"])?.StartsWith("cron(", StringComparison.Ordinal) == true);
        Assert.Equal("cron(0 3 * * ? *)", (string?)rule["Properties"]!["ScheduleExpression"]);
        var target = rule["Properties"]!["Targets"]![0]!;
        Assert.StartsWith("Training", (string?)target["Arn"]!["Ref"], StringComparison.Ordinal);
        // The nightly input is the training machine's input shape (the local workflow tests run it end to end).
        var input = JsonNode.Parse((string)target["Input"]!)!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(JsonSerializer.Serialize(TrainingInput.Nightly("pipeline", "default"))), input), input.ToJsonString());
        Assert.Equal("pipeline", (string?)input["dataset_group"]);
        Assert.Equal(["aws-user-personalization", "aws-sims", "aws-popularity-count"], input["recipes"]!.AsArray().Select(r => (string?)r));
    }

    [Fact]
    public void FailureRule_MatchesFailedTimedOutAndAbortedExecutionsOfTheMachine()
    {
        var rule = Assert.Single(Resources("AWS::Events::Rule"), r => r["Properties"]!["EventPattern"] is not null);
        var pattern = rule["Properties"]!["EventPattern"]!;
        Assert.Equal(["aws.states"], pattern["source"]!.AsArray().Select(x => (string?)x));
        Assert.Equal(["Step Functions Execution Status Change"], pattern["detail-type"]!.AsArray().Select(x => (string?)x));
        Assert.Equal(["FAILED", "TIMED_OUT", "ABORTED"], pattern["detail"]!["status"]!.AsArray().Select(x => (string?)x));
        Assert.StartsWith("Training", (string?)pattern["detail"]!["stateMachineArn"]![0]!["Ref"], StringComparison.Ordinal);
        Assert.StartsWith("AlertTopic", (string?)rule["Properties"]!["Targets"]![0]!["Arn"]!["Ref"], StringComparison.Ordinal);
    }

    [Fact]
    public void AlertTopic_HasTheEmailSubscriptionFromContext()
    {
        synth.ServiceTemplate.HasResourceProperties("AWS::SNS::Subscription", Obj(
            ("Protocol", "email"), ("Endpoint", SynthFixture.AlertEmail)));
    }

    [Fact]
    public void Alarms_Cover5xxLatencyFallbackRateFailedExecutionsAndDlqAndNotifyTheTopic()
    {
        var alarms = Resources("AWS::CloudWatch::Alarm").Select(a => a["Properties"]!).ToList();
        Assert.Equal(6, alarms.Count);
        Assert.Equal(
            new[] { "5XXError", "ApproximateNumberOfMessagesVisible", "ExecutionsFailed", "ExecutionsFailed", "Latency" },
            alarms.Where(a => a["MetricName"] is not null).Select(a => (string)a["MetricName"]!).Order(StringComparer.Ordinal));
        Assert.Equal("p99", (string?)alarms.Single(a => (string?)a["MetricName"] == "Latency")["ExtendedStatistic"]);
        var fallbackRate = Assert.Single(alarms, a => a["Metrics"] is not null);
        Assert.Equal(5, (double)fallbackRate["Threshold"]!);
        var expression = Assert.Single(fallbackRate["Metrics"]!.AsArray(), m => m!["Expression"] is not null)!;
        Assert.Equal("IF(requests > 0, 100 * fallbacks / requests, 0)", (string?)expression["Expression"]);
        Assert.Contains(fallbackRate["Metrics"]!.AsArray(), m => (string?)m!["MetricStat"]?["Metric"]?["MetricName"] == "FallbackResponses");
        Assert.All(alarms, a => Assert.StartsWith("AlertTopic", (string?)a["AlarmActions"]![0]!["Ref"], StringComparison.Ordinal));
        synth.ServiceTemplate.ResourceCountIs("AWS::CloudWatch::Dashboard", 1);
    }

    [Fact]
    public void Outputs_GiveTheApiEndpointStateMachineAndTopic()
    {
        var outputs = synth.ServiceJson["Outputs"]!.AsObject().Select(o => o.Key).ToList();
        foreach (var name in new[] { "ApiEndpoint", "TrainingStateMachineArn", "AlertTopicArn" })
        {
            Assert.Contains(outputs, o => o.StartsWith(name, StringComparison.Ordinal));
        }
    }
}

[Collection(SynthCollection.Name)]
public sealed class WebAdapterErrorStatusTests(SynthFixture synth)
{
    private Dictionary<string, JsonObject> Functions() =>
        synth.ServiceJson["Resources"]!.AsObject().Where(r => (string?)r.Value!["Type"] == "AWS::Lambda::Function")
            .ToDictionary(r => r.Key, r => r.Value!["Properties"]!["Environment"]!["Variables"]!.AsObject());

    [Theory]
    [InlineData("EventsConsumer")]
    [InlineData("MetricGateFunction")]
    [InlineData("BanditUpdaterFunction")]
    public void FunctionsInvoked_WithNonHttpEvents_FailTheInvocationOnAny5xx(string logicalIdPrefix)
    {
        var environment = Functions().Single(f => f.Key.StartsWith(logicalIdPrefix, StringComparison.Ordinal)).Value;

        Assert.Equal("500-599", (string?)environment["AWS_LWA_ERROR_STATUS_CODES"]);
    }

    [Fact]
    public void ApiFunction_RelaysIts5xxProblemResponsesToApiGateway()
    {
        var environment = Functions().Single(f => f.Key.StartsWith("ApiFunction", StringComparison.Ordinal)).Value;

        Assert.Null(environment["AWS_LWA_ERROR_STATUS_CODES"]);
    }
}
