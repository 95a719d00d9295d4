using Pipeline.StatesLanguage.Definition;

namespace Pipeline.StatesLanguage.Tests.Definition;

public class DefinitionParserTests
{
    private static IReadOnlyList<string> Problems(string json) =>
        Assert.Throws<StatesLanguageDefinitionException>(() => StateMachineDefinition.Parse(json)).Problems;

    [Fact]
    public void ValidDefinition_ParsesIntoTypedStates()
    {
        var definition = StateMachineDefinition.Parse("""
            {
              "StartAt": "Start", "TimeoutSeconds": 60,
              "States": {
                "Start": { "Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.r", "Next": "Work" },
                "Work": { "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:personalize:createSolution", "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}], "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Oops", "ResultPath": "$.error"}], "Next": "Done" },
                "Oops": { "Type": "Fail", "Error": "Failed", "Cause": "boom" },
                "Done": { "Type": "Succeed" }
              }
            }
            """);
        Assert.Equal("Start", definition.StartAt);
        Assert.Equal(60, definition.TimeoutSeconds);
        var work = Assert.IsType<TaskState>(definition.States["Work"]);
        Assert.Equal(2, work.Retry[0].MaxAttempts);
        Assert.Equal(1, work.Retry[0].IntervalSeconds);
        Assert.Equal(2.0, work.Retry[0].BackoffRate);
        Assert.Equal("Oops", work.Catch[0].Next);
        Assert.Equal("$.r", Assert.IsType<PassState>(definition.States["Start"]).ResultPath);
    }

    [Fact]
    public void MissingStartAt_IsReported() =>
        Assert.Contains("The state machine has no 'StartAt' field.", Problems("""{"States": {"A": {"Type": "Succeed"}}}"""));

    [Fact]
    public void StartAtNamingNoState_IsReported() =>
        Assert.Contains("The state machine: 'StartAt' names 'B', which is not one of its states.", Problems("""{"StartAt": "B", "States": {"A": {"Type": "Succeed"}}}"""));

    [Fact]
    public void UnknownNext_NamesTheStateAndTheField() =>
        Assert.Contains("State 'A': 'Next' names 'Nowhere', which is not a state in the same state machine or branch.",
            Problems("""{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}"""));

    [Fact]
    public void Choice_WithoutChoices_IsReported() =>
        Assert.Contains("State 'C' has no 'Choices' array with at least one rule.", Problems("""{"StartAt": "C", "States": {"C": {"Type": "Choice", "Default": "C"}}}"""));

    [Fact]
    public void State_NeedsNextOrEnd() =>
        Assert.Contains("State 'A' has neither 'Next' nor 'End': true.", Problems("""{"StartAt": "A", "States": {"A": {"Type": "Pass"}}}"""));

    [Fact]
    public void UnknownType_IsReported() =>
        Assert.Contains("State 'A': 'Type' is 'Sleep', which is not one of Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map.",
            Problems("""{"StartAt": "A", "States": {"A": {"Type": "Sleep", "End": true}}}"""));

    [Fact]
    public void Wait_NeedsExactlyOneDuration() =>
        Assert.Contains("State 'W' must have exactly one of 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath' (it has Seconds, SecondsPath).",
            Problems("""{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "SecondsPath": "$.s", "End": true}}}"""));

    [Fact]
    public void StatesALL_MustBeAloneAndLast() =>
        Assert.Contains("State 'T': 'Retry[0]': 'States.ALL' must appear alone in 'ErrorEquals', in the last rule.",
            Problems("""{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": true, "Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["X"]}]}}}"""));

    [Fact]
    public void CatchNext_MustExist() =>
        Assert.Contains("State 'T': 'Catch[0].Next' names 'Gone', which is not a state in the same state machine or branch.",
            Problems("""{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": true, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Gone"}]}}}"""));

    [Fact]
    public void ChoiceRule_NeedsAnOperator() =>
        Assert.Contains("State 'C': 'Choices[0]' has no comparison operator (such as StringEquals, NumericGreaterThan, IsPresent).",
            Problems("""{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "Next": "C"}]}}}"""));

    [Fact]
    public void ParametersPathsAndIntrinsics_WhenLoading_AreChecked()
    {
        var problems = Problems("""{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true, "Parameters": {"a.$": "States.Nope()", "b.$": 5}}}}""");
        Assert.Contains(problems, p => p.StartsWith("State 'P': 'Parameters': 'a.$': The intrinsic function 'States.Nope()' is invalid", StringComparison.Ordinal));
        Assert.Contains("State 'P': 'Parameters': the value of 'b.$' must be a string holding a path or an intrinsic function.", problems);
    }

    [Fact]
    public void Problems_InsideBranches_NameTheBranch() =>
        Assert.Contains("State 'B' (branch 0 of 'Par'): 'Next' names 'Outside', which is not a state in the same state machine or branch.",
            Problems("""{"StartAt": "Par", "States": {"Par": {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "Next": "Outside"}}}]}, "Outside": {"Type": "Succeed"}}}"""));

    [Fact]
    public void EveryProblem_IsReportedAtOnce()
    {
        var problems = Problems("""{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "X"}, "B": {"Type": "Task", "End": true}}}""");
        Assert.Equal(2, problems.Count);
        Assert.Contains("State 'B' has no 'Resource' field.", problems);
    }

    [Fact]
    public void UnknownField_IsReported() =>
        Assert.Contains("State 'A': the field 'Resource' is not valid in a Pass state.",
            Problems("""{"StartAt": "A", "States": {"A": {"Type": "Pass", "Resource": "x", "End": true}}}"""));

    [Fact]
    public void Map_NeedsAnItemProcessor() =>
        Assert.Contains("State 'M' has no 'ItemProcessor' (or 'Iterator').", Problems("""{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true}}}"""));

    [Fact]
    public void ValidAsl_TheInterpreterDoesNotRun_IsRefusedByName() =>
        Assert.Contains("State 'A': workflow variables ('Assign') are not supported by the local interpreter.",
            Problems("""{"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"x": 1}, "End": true}}}"""));
}
