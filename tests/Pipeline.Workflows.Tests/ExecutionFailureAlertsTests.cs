namespace Pipeline.Workflows.Tests;

[Collection(SynthCollection.Name)]
public sealed class ExecutionFailureAlertsTests(SynthFixture synth)
{
    [Fact]
    public void FailureAlertRule_CoversTrainingAndTeardown()
    {
        var rule = synth.AllResources().Single(r => r.LogicalId.StartsWith("WorkflowFailureAlerts", StringComparison.Ordinal)).Resource;
        var machines = rule["Properties"]!["EventPattern"]!["detail"]!["stateMachineArn"]!.AsArray().Select(m => (string?)m!["Ref"]).ToList();
        Assert.Equal(2, machines.Count);
        Assert.Contains(machines, m => m!.StartsWith("Training", StringComparison.Ordinal));
        Assert.Contains(machines, m => m!.StartsWith("Teardown", StringComparison.Ordinal));
    }
}
