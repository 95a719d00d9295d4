using System.Text.Json.Nodes;

namespace Pipeline.Workflows.Tests;

/// <summary>What the machines need on a real account: each task retries its own service's throttling, log groups under
/// /aws/vendedlogs/, solutions that do not train on their own.</summary>
[Collection(SynthCollection.Name)]
public sealed class StateMachineRuntimeTests(SynthFixture synth)
{
    private JsonNode Definition(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(synth.RepoRoot, "workflows", "Pipeline.Workflows.Definitions", file)))!;

    /// <summary>Every Task state of a definition, nested ones (Map, Parallel) included.</summary>
    private static IEnumerable<(string Name, JsonObject State)> Tasks(JsonNode definition)
    {
        foreach (var (name, state) in definition["States"]!.AsObject())
        {
            if ((string?)state!["Type"] == "Task") yield return (name, state.AsObject());
            foreach (var nested in new[] { state["ItemProcessor"], state["Iterator"] }.Where(n => n is not null)
                .Concat(state["Branches"]?.AsArray() ?? []))
            {
                foreach (var task in Tasks(nested!)) yield return task;
            }
        }
    }

    [Theory]
    [InlineData("training.asl.json")]
    [InlineData("teardown.asl.json")]
    public void EachTask_RetriesTheThrottlingErrorsOfTheServiceItCalls(string file)
    {
        var offenders = new List<string>();
        foreach (var (name, state) in Tasks(Definition(file)))
        {
            var resource = (string)state["Resource"]!;
            var expected = resource switch
            {
                _ when resource.Contains(":personalize:", StringComparison.Ordinal) => ThrottlingErrors.Personalize,
                _ when resource.EndsWith(":dynamodb:getItem", StringComparison.Ordinal) || resource.EndsWith(":dynamodb:updateItem", StringComparison.Ordinal) => ThrottlingErrors.DynamoDb,
                _ when resource.EndsWith(":events:putEvents", StringComparison.Ordinal) => ThrottlingErrors.EventBridge,
                _ when resource.Contains(":aws-sdk:sfn:", StringComparison.Ordinal) => ThrottlingErrors.StepFunctions,
                _ => null, // SNS publish (its failure is caught) and the Lambda invoke (its default retrier)
            };
            var retried = (state["Retry"]?.AsArray() ?? []).SelectMany(r => r!["ErrorEquals"]!.AsArray().Select(e => (string)e!)).ToHashSet();
            if (expected is not null && !expected.All(retried.Contains)) offenders.Add($"{name} does not retry {string.Join(",", expected)}");
            var foreign = retried.Where(e => e.Contains('.', StringComparison.Ordinal) && !e.StartsWith("States.", StringComparison.Ordinal) && !e.StartsWith("Lambda.", StringComparison.Ordinal)
                && (expected is null || !expected.Contains(e))).ToList();
            if (foreign.Count > 0) offenders.Add($"{name} ({resource}) retries {string.Join(",", foreign)}");
        }
        Assert.True(offenders.Count == 0, string.Join("; ", offenders));
    }

    [Fact]
    public void BothMachines_LogToVendedlogsGroups()
    {
        var resources = synth.ServiceJson["Resources"]!.AsObject();
        var machines = resources.Where(r => (string?)r.Value!["Type"] == "AWS::StepFunctions::StateMachine").ToList();

        Assert.Equal(2, machines.Count);
        foreach (var (_, machine) in machines)
        {
            var groupId = (string)machine!["Properties"]!["LoggingConfiguration"]!["Destinations"]![0]!["CloudWatchLogsLogGroup"]!["LogGroupArn"]!["Fn::GetAtt"]![0]!;
            Assert.StartsWith("/aws/vendedlogs/states/pipeline-", (string?)resources[groupId]!["Properties"]!["LogGroupName"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Solutions_AreCreatedWithoutAutomaticTraining()
    {
        var create = Assert.Single(Tasks(Definition("training.asl.json")), t => t.Name == "CreateSolution").State;

        Assert.False((bool)create["Parameters"]!["PerformAutoTraining"]!);
    }
}
