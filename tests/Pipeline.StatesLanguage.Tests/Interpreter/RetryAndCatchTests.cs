using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Interpreter;
using Pipeline.StatesLanguage.Tasks;
using Pipeline.StatesLanguage.Tests.Hosting;

namespace Pipeline.StatesLanguage.Tests.Interpreter;

public class RetryAndCatchTests
{
    private readonly WorkflowHost _host = new();
    private int _calls;

    /// <summary>A Personalize call that fails with the given error the first <paramref name="failures"/> times.</summary>
    private void FlakyCreateSolution(int failures, string error = "Personalize.LimitExceededException") =>
        _host.Tasks.AddAwsSdk("personalize", "createSolution", _ =>
            ++_calls <= failures ? throw new TaskFailedException(error, $"attempt {_calls} failed") : new JsonObject { ["SolutionArn"] = "arn:solution" });

    private static string CreateSolutionTask(string handling) => $$"""
        { "StartAt": "Create", "States": {
            "Create": { "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:personalize:createSolution", {{handling}}, "Next": "Done" },
            "Done": { "Type": "Succeed" },
            "Recover": { "Type": "Pass", "End": true } } }
        """;

    private static List<TimeSpan> GapsBetweenAttempts(Execution execution)
    {
        var scheduled = execution.OfType("TaskScheduled").Select(e => e.Timestamp).ToList();
        return scheduled.Zip(scheduled.Skip(1), (a, b) => b - a).ToList();
    }

    [Fact]
    public void Retries_BackOffExponentiallyOnTheInjectedClock()
    {
        FlakyCreateSolution(failures: 3);
        var execution = _host.Run(CreateSolutionTask("""
            "Retry": [ { "ErrorEquals": ["Personalize.LimitExceededException"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 3 } ]
            """));

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(18)], GapsBetweenAttempts(execution));
        Assert.Equal(3, execution.OfType("TaskFailed").Count);
        Assert.Equal(["Personalize.LimitExceededException"], execution.OfType("TaskFailed").Select(e => e.Error).Distinct());
    }

    [Fact]
    public void Defaults_AreOneSecondThreeAttemptsAndBackoffTwo()
    {
        FlakyCreateSolution(failures: 10);
        var execution = _host.Run(CreateSolutionTask("""
            "Retry": [ { "ErrorEquals": ["States.ALL"] } ]
            """));

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("Personalize.LimitExceededException", execution.Error);
        Assert.Equal("attempt 4 failed", execution.Cause);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], GapsBetweenAttempts(execution));
    }

    [Fact]
    public void MaxDelaySeconds_CapsTheBackoff()
    {
        FlakyCreateSolution(failures: 4);
        var execution = _host.Run(CreateSolutionTask("""
            "Retry": [ { "ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "MaxAttempts": 5, "BackoffRate": 4, "MaxDelaySeconds": 60 } ]
            """));

        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60)], GapsBetweenAttempts(execution));
    }

    [Fact]
    public void FullJitter_WaitsSomewhereBetweenZeroAndTheBackoff()
    {
        FlakyCreateSolution(failures: 3);
        var execution = _host.Run(CreateSolutionTask("""
            "Retry": [ { "ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "MaxAttempts": 3, "JitterStrategy": "FULL" } ]
            """));

        var gaps = GapsBetweenAttempts(execution);
        Assert.Equal(3, gaps.Count);
        Assert.All(gaps.Zip([10.0, 20.0, 40.0]), pair => Assert.InRange(pair.First.TotalSeconds, 0, pair.Second));
        Assert.NotEqual([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40)], gaps);
    }

    [Fact]
    public void RetryCount_IsVisibleInTheContextObject()
    {
        var seen = new List<int>();
        _host.Tasks.AddAwsSdk("personalize", "createSolution", invocation =>
        {
            seen.Add(invocation.Parameters!["retry"]!.GetValue<int>());
            return seen.Count < 3 ? throw new TaskFailedException("Boom", null) : new JsonObject();
        });
        _host.Run(CreateSolutionTask("""
            "Parameters": { "retry.$": "$$.State.RetryCount" }, "Retry": [ { "ErrorEquals": ["Boom"] } ]
            """));

        Assert.Equal([0, 1, 2], seen);
    }

    [Fact]
    public void FirstMatchingRetrier_AloneCounts_EvenWhenExhausted()
    {
        FlakyCreateSolution(failures: 5, error: "Specific");
        var execution = _host.Run(CreateSolutionTask("""
            "Retry": [ { "ErrorEquals": ["Specific"], "MaxAttempts": 1 }, { "ErrorEquals": ["States.ALL"], "MaxAttempts": 10 } ]
            """));

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal(2, _calls);
    }

    [Fact]
    public void CaughtError_GoesToTheCatcherWithErrorAndCauseAtItsResultPath()
    {
        FlakyCreateSolution(failures: 1, error: "Personalize.ResourceNotFoundException");
        var execution = _host.Run(CreateSolutionTask("""
            "Catch": [
              { "ErrorEquals": ["Personalize.LimitExceededException"], "Next": "Done" },
              { "ErrorEquals": ["Personalize.ResourceNotFoundException"], "Next": "Recover", "ResultPath": "$.error" } ]
            """), """{"datasetGroup": "dg-1"}""");

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(["Create", "Recover"], execution.StatesEntered());
        Assert.Equal("""{"datasetGroup":"dg-1","error":{"Error":"Personalize.ResourceNotFoundException","Cause":"attempt 1 failed"}}""", execution.Json());
    }

    [Fact]
    public void Catch_AppliesAfterRetriesAreExhausted()
    {
        FlakyCreateSolution(failures: 10);
        var execution = _host.Run(CreateSolutionTask("""
            "Retry": [ { "ErrorEquals": ["States.ALL"], "MaxAttempts": 2 } ],
            "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Recover" } ]
            """));

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(3, _calls);
        Assert.Equal("""{"Error":"Personalize.LimitExceededException","Cause":"attempt 3 failed"}""", execution.Json());
    }

    [Fact]
    public void StatesTaskFailed_MatchesAnyTaskError()
    {
        FlakyCreateSolution(failures: 1, error: "Personalize.InvalidInputException");
        var execution = _host.Run(CreateSolutionTask("""
            "Catch": [ { "ErrorEquals": ["States.TaskFailed"], "Next": "Recover" } ]
            """));

        Assert.Equal(["Create", "Recover"], execution.StatesEntered());
    }

    [Fact]
    public void StatesALL_DoesNotCatchStatesRuntime()
    {
        _host.Tasks.AddAwsSdk("personalize", "createSolution", _ => new JsonObject());
        var execution = _host.Run(CreateSolutionTask("""
            "OutputPath": "$.notThere", "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Recover" } ]
            """));

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("States.Runtime", execution.Error);
    }

    [Fact]
    public void Exception_ThatIsNotATaskFailedException_FailsWithStatesTaskFailed()
    {
        _host.Tasks.AddAwsSdk("personalize", "createSolution", _ => throw new InvalidOperationException("disk full"));
        var execution = _host.Run(CreateSolutionTask("\"Comment\": \"plain exception\""));

        Assert.Equal("States.TaskFailed", execution.Error);
        Assert.Equal("InvalidOperationException: disk full", execution.Cause);
    }

    [Fact]
    public void TaskRunning_PastTimeoutSeconds_FailsWithStatesTimeout()
    {
        _host.Tasks.AddAwsSdk("personalize", "createSolution", async (_, cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromHours(1), _host.Clock, cancellationToken);
            return new JsonObject();
        });
        var execution = _host.Run(CreateSolutionTask("""
            "TimeoutSeconds": 30, "Catch": [ { "ErrorEquals": ["States.Timeout"], "Next": "Recover" } ]
            """));

        Assert.Equal(["Create", "Recover"], execution.StatesEntered());
        var timedOut = execution.OfType("TaskTimedOut").Single();
        Assert.Equal("States.Timeout", timedOut.Error);
        Assert.Equal(TimeSpan.FromSeconds(30), timedOut.Timestamp - execution.OfType("TaskStarted").Single().Timestamp);
    }

    [Fact]
    public void TimeoutSecondsPath_ReadsTheTimeoutFromTheInput()
    {
        _host.Tasks.AddAwsSdk("personalize", "createSolution", async (_, cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromHours(1), _host.Clock, cancellationToken);
            return new JsonObject();
        });
        var execution = _host.Run(CreateSolutionTask("\"TimeoutSecondsPath\": \"$.timeout\""), """{"timeout": 45}""");

        Assert.Equal("States.Timeout", execution.Error);
        Assert.Equal(45, execution.OfType("TaskScheduled").Single().Details!["timeoutInSeconds"]!.GetValue<int>());
    }

    [Fact]
    public void TaskSilent_PastHeartbeatSeconds_FailsWithStatesHeartbeatTimeoutWhichStatesTimeoutAlsoCatches()
    {
        _host.Tasks.AddAwsSdk("personalize", "createSolution", async (invocation, cancellationToken) =>
        {
            for (var minute = 0; minute < 3; minute++)
            {
                await Task.Delay(TimeSpan.FromSeconds(50), _host.Clock, cancellationToken);
                invocation.SendHeartbeat();
            }
            await Task.Delay(TimeSpan.FromHours(1), _host.Clock, cancellationToken);
            return new JsonObject();
        });
        var execution = _host.Run(CreateSolutionTask("""
            "HeartbeatSeconds": 60, "TimeoutSeconds": 3600, "Catch": [ { "ErrorEquals": ["States.Timeout"], "Next": "Recover" } ]
            """));

        Assert.Equal(["Create", "Recover"], execution.StatesEntered());
        var timedOut = execution.OfType("TaskTimedOut").Single();
        Assert.Equal("States.HeartbeatTimeout", timedOut.Error);
        Assert.Equal(TimeSpan.FromSeconds(150 + 60), timedOut.Timestamp - execution.OfType("TaskStarted").Single().Timestamp);
    }
}
