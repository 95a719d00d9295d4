using System.Text.Json.Nodes;
using Pipeline.Api.Workflows;
using Pipeline.Domain.Scheduling;
using Pipeline.Domain.Workflows;
using Pipeline.DeploymentContract;

namespace Pipeline.Infra.Tests;

/// <summary>
/// The API function reads and starts the training and teardown executions for the console (Pipeline.Api's
/// StepFunctionsWorkflows): it is told the machines and the nightly rule, and may make exactly those calls on them.
/// </summary>
[Collection(SynthCollection.Name)]
public sealed class ApiWorkflowsAccessTests(SynthFixture synth)
{
    private JsonObject Resources => synth.ServiceJson["Resources"]!.AsObject();

    private string MachineId(string prefix) =>
        Resources.Single(r => (string?)r.Value!["Type"] == "AWS::StepFunctions::StateMachine" && r.Key.StartsWith(prefix, StringComparison.Ordinal)).Key;

    private JsonObject ApiEnvironment() => Resources
        .Single(r => (string?)r.Value!["Type"] == "AWS::Lambda::Function" && r.Key.StartsWith("ApiFunction", StringComparison.Ordinal))
        .Value!["Properties"]!["Environment"]!["Variables"]!.AsObject();

    private List<PolicyStatementAt> ApiStatesStatements() => [.. PolicyDocuments.All(synth)
        .Where(s => s.Where.Contains("/ApiFunctionServiceRoleDefaultPolicy", StringComparison.Ordinal) && s.Actions.Any(a => a.StartsWith("states:", StringComparison.Ordinal)))];

    [Fact]
    public void ApiFunction_IsToldBothMachinesAndTheNightlyRule()
    {
        var environment = ApiEnvironment();

        Assert.Equal($"{{Ref:{MachineId("Training")}}}", PolicyDocuments.Resolve(environment[EnvironmentVariables.TrainingStateMachineArn]));
        Assert.Equal($"{{Ref:{MachineId("Teardown")}}}", PolicyDocuments.Resolve(environment[EnvironmentVariables.TeardownStateMachineArn]));
        Assert.Equal(new PipelineConfig().RetrainingSchedule, (string?)environment[EnvironmentVariables.TrainingSchedule]);
        var input = JsonNode.Parse((string)environment[EnvironmentVariables.TrainingScheduleInput]!)!;
        Assert.Equal("FULL", (string?)input["training_mode"]);
    }

    [Fact]
    public void ApiFunctionsSchedule_IsTheSynthesizedRulesExpressionAndGivesANextRun()
    {
        // The console's "next run" on AWS is computed from this variable: it must be what EventBridge was given.
        // The bandit updater's rate rule is scheduled too; the training schedule is the one that starts the training machine.
        var rules = Resources.Where(r => (string?)r.Value!["Type"] == "AWS::Events::Rule" && r.Value!["Properties"]!["ScheduleExpression"] is not null
            && r.Value!["Properties"]!["Targets"]!.ToJsonString().Contains("\"Training", StringComparison.Ordinal)).ToList();
        var rule = Assert.Single(rules).Value!;
        var expression = (string?)ApiEnvironment()[EnvironmentVariables.TrainingSchedule];

        Assert.Equal((string?)rule["Properties"]!["ScheduleExpression"], expression);
        Assert.IsType<CronSchedule>(ScheduleExpression.Parse(expression!, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void FailureRule_FiresOnTheStatusesTheApiListsAsAlerts()
    {
        var rule = Resources.Single(r => (string?)r.Value!["Type"] == "AWS::Events::Rule" && r.Value!["Properties"]!["EventPattern"] is not null).Value!;

        Assert.Equal(WorkflowAlerts.FailedStatuses, rule["Properties"]!["EventPattern"]!["detail"]!["status"]!.AsArray().Select(s => (string)s!));
    }

    [Fact]
    public void ApiFunction_ListsAndStartsOnTheMachinesAndReadsOnlyTheirExecutions()
    {
        var statements = ApiStatesStatements();
        var onMachines = statements.Where(s => s.Actions.Any(a => a is "states:ListExecutions" or "states:StartExecution")).ToList();
        var onExecutions = statements.Except(onMachines).ToList();

        Assert.Equal(["states:DescribeExecution", "states:DescribeStateMachineForExecution", "states:GetExecutionHistory", "states:ListExecutions", "states:StartExecution"],
            statements.SelectMany(s => s.Actions).Distinct().Order(StringComparer.Ordinal));
        Assert.All(onMachines.SelectMany(s => s.Resources), r => Assert.Matches(@"^\{Ref:(Training|Teardown)[0-9A-F]{8}\}$", r));
        Assert.Equal(2, onMachines.SelectMany(s => s.Resources).Distinct().Count());
        Assert.All(onExecutions.SelectMany(s => s.Resources), r => Assert.Matches(@"^arn:aws:states:us-east-1:123456789012:execution:.+:\*$", r));
        Assert.Equal(2, onExecutions.SelectMany(s => s.Resources).Distinct().Count());
    }
}
