using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Interpreter;
using Pipeline.StatesLanguage.Tasks;
using Pipeline.StatesLanguage.Tests.Hosting;

namespace Pipeline.StatesLanguage.Tests.Workflows;

/// <summary>
/// The training poll loop the "training" state machine uses: create a solution version, then wait / describe / choose
/// until Personalize reports ACTIVE or CREATE FAILED. Personalize here is a fake in the test.
/// </summary>
public class SolutionVersionTrainingWorkflowTests
{
    private const string TrainSolutionVersion = """
        {
          "Comment": "Create a solution version and poll until training ends",
          "StartAt": "CreateSolutionVersion",
          "States": {
            "CreateSolutionVersion": {
              "Type": "Task",
              "Resource": "arn:aws:states:::aws-sdk:personalize:createSolutionVersion",
              "Parameters": { "SolutionArn.$": "$.solutionArn", "TrainingMode": "FULL" },
              "ResultPath": "$.created",
              "Retry": [ { "ErrorEquals": ["Personalize.LimitExceededException"], "IntervalSeconds": 30, "BackoffRate": 2, "MaxAttempts": 3 } ],
              "Next": "WaitForTraining"
            },
            "WaitForTraining": { "Type": "Wait", "Seconds": 60, "Next": "DescribeSolutionVersion" },
            "DescribeSolutionVersion": {
              "Type": "Task",
              "Resource": "arn:aws:states:::aws-sdk:personalize:describeSolutionVersion",
              "Parameters": { "SolutionVersionArn.$": "$.created.SolutionVersionArn" },
              "ResultSelector": { "Status.$": "$.SolutionVersion.Status", "FailureReason.$": "$.SolutionVersion.FailureReason" },
              "ResultPath": "$.training",
              "Next": "TrainingDone?"
            },
            "TrainingDone?": {
              "Type": "Choice",
              "Choices": [
                { "Variable": "$.training.Status", "StringEquals": "ACTIVE", "Next": "Trained" },
                { "Variable": "$.training.Status", "StringEquals": "CREATE FAILED", "Next": "TrainingFailed" }
              ],
              "Default": "WaitForTraining"
            },
            "Trained": { "Type": "Succeed", "OutputPath": "$.created" },
            "TrainingFailed": { "Type": "Fail", "Error": "Personalize.TrainingFailed", "CausePath": "$.training.FailureReason" }
          }
        }
        """;

    private readonly WorkflowHost _host = new();
    private readonly FakePersonalize _personalize = new();

    public SolutionVersionTrainingWorkflowTests() => _host.Tasks.AddAwsSdk("personalize", "*", _personalize.Handle);

    [Fact]
    public void TrainSolutionVersion_PollsUntilTheSolutionVersionBecomesActive()
    {
        _personalize.Statuses = ["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"];

        var execution = _host.Run(TrainSolutionVersion, """{ "solutionArn": "arn:aws:personalize:us-east-1:123456789012:solution/popularity" }""");

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal("""{"SolutionVersionArn":"arn:aws:personalize:us-east-1:123456789012:solution/popularity/v1"}""", execution.Json());
        Assert.Equal(
        [
            "CreateSolutionVersion",
            "WaitForTraining", "DescribeSolutionVersion", "TrainingDone?",
            "WaitForTraining", "DescribeSolutionVersion", "TrainingDone?",
            "WaitForTraining", "DescribeSolutionVersion", "TrainingDone?",
            "Trained",
        ], execution.StatesEntered());
        var describes = execution.OfType("TaskScheduled").Where(e => e.Resource == "describeSolutionVersion").ToList();
        Assert.Equal([60, 120, 180], describes.Select(e => (e.Timestamp - SteppingClock.Epoch).TotalSeconds));
        Assert.All(describes, e => Assert.Equal("""{"SolutionVersionArn":"arn:aws:personalize:us-east-1:123456789012:solution/popularity/v1"}""", e.Parameters!.ToJsonString()));
        Assert.Equal(["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"],
            execution.OfType("TaskStateExited").Where(e => e.StateName == "DescribeSolutionVersion").Select(e => e.Output!["training"]!["Status"]!.GetValue<string>()));
        Assert.Equal("ExecutionSucceeded", execution.Types()[^1]);
    }

    [Fact]
    public void FailedTraining_FailsTheExecutionWithPersonalizesReason()
    {
        _personalize.Statuses = ["CREATE IN_PROGRESS", "CREATE FAILED"];

        var execution = _host.Run(TrainSolutionVersion, """{ "solutionArn": "arn:aws:personalize:us-east-1:123456789012:solution/popularity" }""");

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("Personalize.TrainingFailed", execution.Error);
        Assert.Equal("Not enough interactions: 1000 are required", execution.Cause);
        Assert.Equal(["ExecutionStarted", "FailStateEntered", "ExecutionFailed"], execution.Types().Where(t => t.StartsWith("Execution", StringComparison.Ordinal) || t.StartsWith("Fail", StringComparison.Ordinal)));
    }

    [Fact]
    public void Throttled_CreateIsRetriedAfterTheBackoff()
    {
        _personalize.Statuses = ["ACTIVE"];
        _personalize.ThrottleCreates = 2;

        var execution = _host.Run(TrainSolutionVersion, """{ "solutionArn": "arn:aws:personalize:us-east-1:123456789012:solution/popularity" }""");

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(["Personalize.LimitExceededException", "Personalize.LimitExceededException"], execution.OfType("TaskFailed").Select(e => e.Error));
        Assert.Equal(TimeSpan.FromSeconds(30 + 60 + 60), _host.Clock.Elapsed);
    }

    /// <summary>Answers createSolutionVersion and describeSolutionVersion like Personalize, walking through the given statuses.</summary>
    private sealed class FakePersonalize
    {
        private int _describes;

        public IReadOnlyList<string> Statuses { get; set; } = ["ACTIVE"];

        public int ThrottleCreates { get; set; }

        public JsonNode? Handle(TaskInvocation invocation) => invocation.Action switch
        {
            "createSolutionVersion" when ThrottleCreates-- > 0 => throw new TaskFailedException("Personalize.LimitExceededException", "Rate exceeded"),
            "createSolutionVersion" => new JsonObject { ["SolutionVersionArn"] = invocation.Parameters!["SolutionArn"]!.GetValue<string>() + "/v1" },
            "describeSolutionVersion" => Describe(invocation.Parameters!["SolutionVersionArn"]!.GetValue<string>()),
            _ => throw new TaskFailedException("Personalize.InvalidActionException", $"The fake does not implement {invocation.Action}."),
        };

        private JsonObject Describe(string arn)
        {
            var status = Statuses[Math.Min(_describes++, Statuses.Count - 1)];
            var version = new JsonObject { ["SolutionVersionArn"] = arn, ["Status"] = status };
            version["FailureReason"] = status == "CREATE FAILED" ? "Not enough interactions: 1000 are required" : null;
            return new JsonObject { ["SolutionVersion"] = version };
        }
    }
}
