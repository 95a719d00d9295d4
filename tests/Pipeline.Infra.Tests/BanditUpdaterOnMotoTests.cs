using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Adapters.Aws.DynamoDb;
using Pipeline.Cli.Rehearsal;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Bandits;
using Pipeline.Domain.Experiments.Metrics;
using Pipeline.Infra.Tests.Moto;

namespace Pipeline.Infra.Tests;

/// <summary>
/// The bandit updater as deployed, on moto_server: the stacks created by CloudFormation, the function run as the published
/// app's process with its deployed environment, and the rule's scheduled event POSTed where the Web Adapter hands it
/// (Lambda and EventBridge's schedule cannot run here).
/// </summary>
[Collection(SynthCollection.Name)]
public sealed class BanditUpdaterOnMotoTests(SynthFixture synth, MotoDeployment moto) : IClassFixture<MotoDeployment>
{
    private static readonly DateTimeOffset Started = DateTimeOffset.UtcNow.AddHours(-1);

    [Fact]
    public async Task ScheduledEvent_MovesADueBanditsWeightsToTheBetterArmInTheDeployedTables()
    {
        var deployed = await moto.DeployAsync(synth);
        var id = deployed.Service.PhysicalIds.Keys.Single(k => k.StartsWith("BanditUpdaterFunction", StringComparison.Ordinal)
            && (string?)deployed.Service.Template["Resources"]![k]!["Type"] == "AWS::Lambda::Function");
        var configuration = await moto.Cli.RunAsync("lambda", "get-function-configuration", "--function-name", deployed.Service.PhysicalIds[id]);
        var environment = configuration!["Environment"]!["Variables"]!.AsObject().ToDictionary(v => v.Key, v => (string)v.Value!);
        var tables = DynamoDbTables.FromEnvironment(name => environment.GetValueOrDefault(name));
        var aws = new MotoAws(moto.Endpoint);
        using var dynamo = aws.Clients.DynamoDb();
        var experiments = new DynamoDbExperimentStore(dynamo, tables);
        var metrics = new DynamoDbExperimentMetricsStore(dynamo, tables, TimeProvider.System);
        var bandit = new Experiment("bandit-on-moto", ExperimentStatus.Running,
            [new Variant("a", 0.5, "aws-popularity-count"), new Variant("b", 0.5, "aws-user-personalization")], 1, "", Started)
        {
            StartedAt = Started,
            PrimaryMetric = ExperimentMetrics.ClickThroughRate,
            Allocation = ExperimentAllocation.Bandit,
            Bandit = new BanditSettings(TimeSpan.FromSeconds(1), 0.05, TimeSpan.FromSeconds(1)),
        };
        await experiments.CreateAsync(bandit);
        // 12 users per arm in period 0: a clicks 2 of 12, b 10 of 12.
        var day = DateOnly.FromDateTime(Started.UtcDateTime);
        for (var u = 0; u < 24; u++)
        {
            var (arm, clicked) = u < 12 ? ("a", u < 2) : ("b", u < 22);
            await metrics.UpdateAsync(bandit.Key, $"u{u}", null, _ => new MetricsChange(new ExperimentUserState(0, arm, Started, 0, clicked ? 1 : 0, 0, 0),
                new VariantDayMetrics(arm, day) { ExposedUsers = 1, Exposures = 1, Clickers = clicked ? 1 : 0, Clicks = clicked ? 1 : 0 }));
        }
        var merged = new Dictionary<string, string>(environment);
        foreach (var (name, value) in aws.Environment) merged[name] = value;
        await using var function = await FunctionProcess.StartAsync(merged, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = function.BaseAddress };

        // What EventBridge sends for a scheduled rule.
        using var response = await http.PostAsync(environment["AWS_LWA_PASS_THROUGH_PATH"], new StringContent(
            """{"version":"0","id":"1","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012","region":"us-east-1","resources":[],"detail":{}}""",
            Encoding.UTF8, "application/json"));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body + function.Tail);
        var updated = Assert.Single(JsonNode.Parse(body)!["experiments"]!.AsArray())!;
        Assert.Equal((bandit.Key, 1), ((string?)updated["key"], (int)updated["period"]!));
        var stored = (await experiments.GetAsync(bandit.Key))!;
        Assert.Equal([0.05, 0.95], stored.Variants.Select(v => v.Weight));
        Assert.Equal([0, 1], stored.WeightHistory.Select(p => p.Number));
        // The next invoke within the same second finds nothing due.
        using var again = await http.PostAsync(environment["AWS_LWA_PASS_THROUGH_PATH"], new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Empty(JsonNode.Parse(await again.Content.ReadAsStringAsync())!["experiments"]!.AsArray());
    }
}
