using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Interpreter;
using Pipeline.StatesLanguage.Tasks;
using Pipeline.StatesLanguage.Tests.Hosting;

namespace Pipeline.StatesLanguage.Tests.Interpreter;

public class ParallelStateTests
{
    private readonly WorkflowHost _host = new();

    [Fact]
    public void Branches_GetTheSameInputAndTheirOutputsFormAnArrayInBranchOrder()
    {
        _host.Tasks.AddAwsSdk("personalize", "createSolution", invocation => new JsonObject { ["SolutionArn"] = $"arn:solution/{invocation.Parameters!["recipe"]}" });
        var execution = _host.Run("""
            { "StartAt": "Train", "States": { "Train": { "Type": "Parallel", "ResultPath": "$.solutions", "End": true, "Branches": [
                { "StartAt": "Slow", "States": {
                    "Slow": { "Type": "Wait", "Seconds": 60, "Next": "Popularity" },
                    "Popularity": { "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:personalize:createSolution", "Parameters": { "recipe": "popularity", "group.$": "$.group" }, "End": true } } },
                { "StartAt": "Personalization", "States": {
                    "Personalization": { "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:personalize:createSolution", "Parameters": { "recipe": "user-personalization" }, "End": true } } } ] } } }
            """, """{"group": "dg-1"}""");

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal("""{"group":"dg-1","solutions":[{"SolutionArn":"arn:solution/popularity"},{"SolutionArn":"arn:solution/user-personalization"}]}""", execution.Json());
        Assert.Equal(
            ["ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted"],
            execution.Types().Take(3));
        Assert.Equal(["ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded"], execution.Types().TakeLast(3));
    }

    [Fact]
    public void RetriedParallel_RecordsParallelStateFailedOnceAfterTheLastAttempt()
    {
        // Found by the differential tests against moto_server (Conformance/retry-then-catch): an attempt that a
        // retrier takes shows only its ParallelStateStarted; ParallelStateFailed comes once, before the Catch.
        var execution = _host.Run("""
            { "StartAt": "Attempt", "States": {
                "Attempt": { "Type": "Parallel", "Next": "Never",
                    "Branches": [ { "StartAt": "Boom", "States": { "Boom": { "Type": "Fail", "Error": "Custom.Transient" } } } ],
                    "Retry": [ { "ErrorEquals": [ "Custom.Transient" ], "IntervalSeconds": 1, "MaxAttempts": 2, "BackoffRate": 1.0 } ],
                    "Catch": [ { "ErrorEquals": [ "States.ALL" ], "Next": "Recovered" } ] },
                "Recovered": { "Type": "Succeed" },
                "Never": { "Type": "Succeed" } } }
            """);

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(3, execution.OfType("ParallelStateStarted").Count);
        Assert.Single(execution.OfType("ParallelStateFailed"));
        var types = execution.Types().ToList();
        Assert.Equal("ParallelStateExited", types[types.IndexOf("ParallelStateFailed") + 1]);
    }

    [Fact]
    public void FailingBranch_FailsTheParallelWithItsErrorAndStopsTheOtherBranches()
    {
        var execution = _host.Run("""
            { "StartAt": "Both", "States": { "Both": { "Type": "Parallel", "End": true, "Branches": [
                { "StartAt": "Long", "States": { "Long": { "Type": "Wait", "Seconds": 3600, "Next": "Never" }, "Never": { "Type": "Pass", "End": true } } },
                { "StartAt": "Broken", "States": { "Broken": { "Type": "Fail", "Error": "Metrics.BelowThreshold", "Cause": "ndcg 0.1 < 0.2" } } } ] } } }
            """);

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("Metrics.BelowThreshold", execution.Error);
        Assert.Equal("ndcg 0.1 < 0.2", execution.Cause);
        Assert.Contains("ParallelStateFailed", execution.Types());
        Assert.DoesNotContain("Never", execution.StatesEntered());
        Assert.Equal(TimeSpan.Zero, _host.Clock.Elapsed);
    }

    [Fact]
    public void Parallel_CatchesABranchFailure()
    {
        _host.Tasks.AddAwsSdk("personalize", "createSolution", _ => throw new TaskFailedException("Personalize.LimitExceededException", "too many solutions"));
        var execution = _host.Run("""
            { "StartAt": "Both", "States": {
                "Both": { "Type": "Parallel", "Next": "Done", "Catch": [ { "ErrorEquals": ["Personalize.LimitExceededException"], "Next": "Notify", "ResultPath": "$.failure" } ], "Branches": [
                  { "StartAt": "Create", "States": { "Create": { "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:personalize:createSolution", "End": true } } } ] },
                "Notify": { "Type": "Pass", "End": true },
                "Done": { "Type": "Succeed" } } }
            """, """{"run": 1}""");

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal("""{"run":1,"failure":{"Error":"Personalize.LimitExceededException","Cause":"too many solutions"}}""", execution.Json());
    }

    [Fact]
    public void ParametersAndResultSelector_ShapeTheBranchInputAndTheCombinedResult()
    {
        var execution = _host.Run("""
            { "StartAt": "Both", "States": { "Both": { "Type": "Parallel", "End": true,
                "Parameters": { "n.$": "$.value" },
                "ResultSelector": { "first.$": "$[0].n", "second.$": "$[1]" },
                "Branches": [
                  { "StartAt": "A", "States": { "A": { "Type": "Pass", "End": true } } },
                  { "StartAt": "B", "States": { "B": { "Type": "Pass", "Result": "b", "End": true } } } ] } } }
            """, """{"value": 42}""");

        Assert.Equal("""{"first":42,"second":"b"}""", execution.Json());
    }
}
