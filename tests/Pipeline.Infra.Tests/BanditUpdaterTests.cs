using System.Text.Json.Nodes;
using Pipeline.DeploymentContract;

namespace Pipeline.Infra.Tests;

/// <summary>The bandits' scheduled weight update in the synthesized service stack: rule, function, role, permission.</summary>
[Collection(SynthCollection.Name)]
public sealed class BanditUpdaterTests(SynthFixture synth)
{
    private IEnumerable<(string Id, JsonObject Resource)> Resources(string type) =>
        synth.ServiceJson["Resources"]!.AsObject().Where(r => (string?)r.Value!["Type"] == type).Select(r => (r.Key, r.Value!.AsObject()));

    private (string Id, JsonObject Resource) Function() =>
        Assert.Single(Resources("AWS::Lambda::Function"), f => (string?)f.Resource["Properties"]!["Environment"]!["Variables"]!["PIPELINE_ROLE"] == "bandit-updater");

    [Fact]
    public void Rule_OnTheBanditUpdateSchedule_InvokesTheBanditUpdaterFunction()
    {
        Assert.Equal("rate(1 minute)", BanditUpdaterConstruct.BanditUpdateSchedule);
        var (functionId, _) = Function();
        var rule = Assert.Single(Resources("AWS::Events::Rule"), r => (string?)r.Resource["Properties"]!["ScheduleExpression"] == BanditUpdaterConstruct.BanditUpdateSchedule);

        var target = Assert.Single(rule.Resource["Properties"]!["Targets"]!.AsArray())!;
        Assert.Equal($"{{GetAtt:{functionId}.Arn}}", PolicyDocuments.Resolve(target["Arn"]));
        // Only that rule may invoke the function.
        var permission = Assert.Single(Resources("AWS::Lambda::Permission"), p => PolicyDocuments.Resolve(p.Resource["Properties"]!["FunctionName"]) == $"{{GetAtt:{functionId}.Arn}}");
        Assert.Equal("events.amazonaws.com", (string?)permission.Resource["Properties"]!["Principal"]);
        Assert.Equal($"{{GetAtt:{rule.Id}.Arn}}", PolicyDocuments.Resolve(permission.Resource["Properties"]!["SourceArn"]));
    }

    [Fact]
    public void Function_RunsTheBanditUpdaterRoleOnTheExperimentsAndAggregatesTablesOnly()
    {
        var variables = Function().Resource["Properties"]!["Environment"]!["Variables"]!.AsObject();

        Assert.Equal("aws", (string?)variables["PIPELINE_MODE"]);
        Assert.Equal(PassThroughPaths.BanditUpdater, (string?)variables["AWS_LWA_PASS_THROUGH_PATH"]);
        Assert.Equal(PassThroughPaths.BanditUpdater, PassThroughPaths.BanditUpdater);
        Assert.Equal("500-599", (string?)variables["AWS_LWA_ERROR_STATUS_CODES"]);
        Assert.Equal(["PIPELINE_AGGREGATES_TABLE", "PIPELINE_EXPERIMENTS_TABLE"],
            variables.Select(v => v.Key).Where(k => k.EndsWith("_TABLE", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(variables, v => v.Key.Contains("QUEUE", StringComparison.Ordinal) || v.Key.Contains("BUCKET", StringComparison.Ordinal));
    }

    [Fact]
    public void Role_MayScanAndPutExperimentsAndQueryAggregatesAndNothingElseInDynamodb()
    {
        var (_, function) = Function();
        var roleId = (string)function["Properties"]!["Role"]!["Fn::GetAtt"]![0]!;
        var statements = Resources("AWS::IAM::Policy")
            .Where(p => p.Resource["Properties"]!["Roles"]!.AsArray().Any(r => (string?)r!["Ref"] == roleId))
            .SelectMany(p => p.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())
            .Select(s => new PolicyStatementAt("bandit-updater", "identity", s!.AsObject()))
            .ToList();

        var dynamo = statements.Where(s => s.Actions.Any(a => a.StartsWith("dynamodb:", StringComparison.Ordinal))).ToList();
        Assert.Equal(2, dynamo.Count);
        var experiments = Assert.Single(dynamo, s => s.Resources.Single().Contains("Experiments", StringComparison.Ordinal));
        Assert.Equal(["dynamodb:PutItem", "dynamodb:Scan"], experiments.Actions.Order(StringComparer.Ordinal));
        var aggregates = Assert.Single(dynamo, s => s.Resources.Single().Contains("Aggregates", StringComparison.Ordinal));
        Assert.Equal(["dynamodb:Query"], aggregates.Actions);
        // Beyond DynamoDB only what every function gets: X-Ray tracing.
        Assert.All(statements.Except(dynamo), s => Assert.All(s.Actions, a => Assert.StartsWith("xray:", a, StringComparison.Ordinal)));
    }
}
