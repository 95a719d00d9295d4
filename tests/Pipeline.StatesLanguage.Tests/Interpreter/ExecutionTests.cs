using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Interpreter;
using Pipeline.StatesLanguage.Tasks;
using Pipeline.StatesLanguage.Tests.Hosting;

namespace Pipeline.StatesLanguage.Tests.Interpreter;

public class ExecutionTests
{
    private readonly WorkflowHost _host = new();

    private const string WaitAnHour = """
        { "StartAt": "Hold", "States": { "Hold": { "Type": "Wait", "Seconds": 3600, "Next": "Done" }, "Done": { "Type": "Succeed" } } }
        """;

    [Fact]
    public void SuccessfulExecution_RecordsTheHistoryOfGetExecutionHistory()
    {
        var execution = _host.Run("""
            { "StartAt": "Hello", "States": { "Hello": { "Type": "Pass", "Result": "world", "End": true } } }
            """, """{"x": 1}""", name: "hello-1");

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal("SUCCEEDED", execution.Status.ToAwsName());
        Assert.Equal("\"world\"", execution.Json());
        Assert.Equal(
            """{"events":[{"id":1,"previousEventId":0,"timestamp":"2024-01-01T00:00:00.000Z","type":"ExecutionStarted","executionStartedEventDetails":{"input":"{\u0022x\u0022:1}","inputDetails":{"truncated":false},"roleArn":"arn:aws:iam::123456789012:role/StatesExecutionRole"}},{"id":2,"previousEventId":1,"timestamp":"2024-01-01T00:00:00.000Z","type":"PassStateEntered","stateEnteredEventDetails":{"name":"Hello","input":"{\u0022x\u0022:1}","inputDetails":{"truncated":false}}},{"id":3,"previousEventId":2,"timestamp":"2024-01-01T00:00:00.000Z","type":"PassStateExited","stateExitedEventDetails":{"name":"Hello","output":"\u0022world\u0022","outputDetails":{"truncated":false}}},{"id":4,"previousEventId":3,"timestamp":"2024-01-01T00:00:00.000Z","type":"ExecutionSucceeded","executionSucceededEventDetails":{"output":"\u0022world\u0022","outputDetails":{"truncated":false}}}]}""",
            execution.GetExecutionHistory().ToJsonString());
        Assert.Equal("arn:aws:states:us-east-1:123456789012:execution:TestStateMachine:hello-1", execution.ExecutionArn);
        Assert.Equal(SteppingClock.Epoch, execution.StopDate);
    }

    [Fact]
    public void FailState_FailsTheExecutionWithItsErrorAndCause()
    {
        var execution = _host.Run("""
            { "StartAt": "Stop", "States": { "Stop": { "Type": "Fail", "ErrorPath": "$.code", "CausePath": "$.why" } } }
            """, """{"code": "Training.Failed", "why": "no data"}""");

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("Training.Failed", execution.Error);
        Assert.Equal("no data", execution.Cause);
        Assert.Equal(["ExecutionStarted", "FailStateEntered", "ExecutionFailed"], execution.Types());
        Assert.Equal("Training.Failed", execution.OfType("ExecutionFailed").Single().Error);
    }

    [Fact]
    public void Stop_AbortsARunningExecution()
    {
        var execution = _host.Start(WaitAnHour);
        Assert.Equal(ExecutionStatus.Running, execution.Status);

        execution.Stop(error: "Operator.Cancelled", cause: "superseded by a newer run");
        _host.WaitForCompletion(execution);

        Assert.Equal(ExecutionStatus.Aborted, execution.Status);
        Assert.Equal("ABORTED", execution.Status.ToAwsName());
        Assert.Equal("Operator.Cancelled", execution.Error);
        Assert.Equal(["ExecutionStarted", "WaitStateEntered", "ExecutionAborted"], execution.Types());
        Assert.Equal(TimeSpan.Zero, _host.Clock.Elapsed);
    }

    [Fact]
    public void Stop_AfterCompletion_ChangesNothing()
    {
        var execution = _host.Run("""{ "StartAt": "Done", "States": { "Done": { "Type": "Succeed" } } }""");

        execution.Stop();

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
    }

    [Fact]
    public void Running_PastTheTopLevelTimeoutSeconds_EndsTimedOut()
    {
        var execution = _host.Run("""
            { "StartAt": "Hold", "TimeoutSeconds": 600, "States": { "Hold": { "Type": "Wait", "Seconds": 3600, "End": true } } }
            """);

        Assert.Equal(ExecutionStatus.TimedOut, execution.Status);
        Assert.Equal("TIMED_OUT", execution.Status.ToAwsName());
        Assert.Equal("States.Timeout", execution.Error);
        Assert.Equal("ExecutionTimedOut", execution.Types()[^1]);
        Assert.Equal(TimeSpan.FromMinutes(10), _host.Clock.Elapsed);
    }

    [Fact]
    public void WaitForTaskTokenTask_WaitsForSendTaskSuccess()
    {
        string? token = null;
        _host.Tasks.Register("arn:aws:states:::sns:publish", invocation =>
        {
            token = invocation.Parameters!["Message"]!["token"]!.GetValue<string>();
            return null;
        });
        var execution = _host.Start("""
            { "StartAt": "Approve", "States": { "Approve": { "Type": "Task", "Resource": "arn:aws:states:::sns:publish.waitForTaskToken",
                "Parameters": { "TopicArn": "arn:aws:sns:us-east-1:123456789012:approvals", "Message": { "token.$": "$$.Task.Token" } }, "End": true } } }
            """);
        Assert.Equal(ExecutionStatus.Running, execution.Status);

        execution.SendTaskSuccess(token!, JsonNode.Parse("""{"approved": true}"""));
        _host.WaitForCompletion(execution);

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal("""{"approved":true}""", execution.Json());
    }

    [Fact]
    public void WaitForTaskTokenTask_FailsOnSendTaskFailure()
    {
        string? token = null;
        _host.Tasks.Register("arn:aws:states:::lambda:invoke", invocation =>
        {
            token = invocation.TaskToken;
            return null;
        });
        var execution = _host.Start("""
            { "StartAt": "Ask", "States": { "Ask": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", "Parameters": { "FunctionName": "ask" }, "End": true } } }
            """);

        execution.SendTaskFailure(token!, "Approval.Rejected", "no");
        _host.WaitForCompletion(execution);

        Assert.Equal("Approval.Rejected", execution.Error);
    }

    [Fact]
    public async Task Branches_OnTheSystemClock_RunOnTheThreadPoolAndWaitForCompletionAsyncReturnsTheResult()
    {
        var tasks = new TaskInvokerRegistry().AddAwsSdk("math", "double", invocation => JsonValue.Create(invocation.Parameters!.GetValue<int>() * 2));
        var runner = new StateMachineRunner(tasks, new StateMachineRunnerOptions { WaitScale = 0 });

        var execution = await runner.RunAsync("""
            { "StartAt": "Fan", "States": {
                "Fan": { "Type": "Map", "MaxConcurrency": 2, "ItemProcessor": { "StartAt": "Pause", "States": {
                    "Pause": { "Type": "Wait", "Seconds": 86400, "Next": "Double" },
                    "Double": { "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:math:double", "End": true } } }, "Next": "Both" },
                "Both": { "Type": "Parallel", "End": true, "Branches": [
                    { "StartAt": "A", "States": { "A": { "Type": "Pass", "End": true } } },
                    { "StartAt": "B", "States": { "B": { "Type": "Pass", "Parameters": { "n.$": "States.ArrayLength($)" }, "End": true } } } ] } } }
            """, "[1, 2, 3, 4]");

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal("""[[2,4,6,8],{"n":4}]""", execution.Json());
    }
}
