using Pipeline.StatesLanguage.Definition;

namespace Pipeline.StatesLanguage.Tests.Definition;

public class DefinitionParserTests
{
    private static IReadOnlyList<string> Problems(string json) =>
        Assert.Throws<StatesLanguageDefinitionException>(() => StateMachineDefinition.Parse(json)).Problems;

    [Fact]
    public void A_valid_definition_parses_into_typed_states()
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
    public void A_missing_StartAt_is_reported() =>
        Assert.Contains("The state machine has no 'StartAt' field.", Problems("""{"States": {"A": {"Type": "Succeed"}}}"""));

    [Fact]
    public void A_StartAt_naming_no_state_is_reported() =>
        Assert.Contains("The state machine: 'StartAt' names 'B', which is not one of its states.", Problems("""{"StartAt": "B", "States": {"A": {"Type": "Succeed"}}}"""));

    [Fact]
    public void An_unknown_Next_names_the_state_and_the_field() =>
        Assert.Contains("State 'A': 'Next' names 'Nowhere', which is not a state in the same state machine or branch.",
            Problems("""{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}"""));

    [Fact]
    public void A_Choice_without_Choices_is_reported() =>
        Assert.Contains("State 'C' has no 'Choices' array with at least one rule.", Problems("""{"StartAt": "C", "States": {"C": {"Type": "Choice", "Default": "C"}}}"""));

    [Fact]
    public void A_state_needs_Next_or_End() =>
        Assert.Contains("State 'A' has neither 'Next' nor 'End': true.", Problems("""{"StartAt": "A", "States": {"A": {"Type": "Pass"}}}"""));

    [Fact]
    public void An_unknown_Type_is_reported() =>
        Assert.Contains("State 'A': 'Type' is 'Sleep', which is not one of Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map.",
            Problems("""{"StartAt": "A", "States": {"A": {"Type": "Sleep", "End": true}}}"""));

    [Fact]
    public void A_Wait_needs_exactly_one_duration() =>
        Assert.Contains("State 'W' must have exactly one of 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath' (it has Seconds, SecondsPath).",
            Problems("""{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "SecondsPath": "$.s", "End": true}}}"""));

    [Fact]
    public void States_ALL_must_be_alone_and_last() =>
        Assert.Contains("State 'T': 'Retry[0]': 'States.ALL' must appear alone in 'ErrorEquals', in the last rule.",
            Problems("""{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": true, "Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["X"]}]}}}"""));

    [Fact]
    public void A_Catch_Next_must_exist() =>
        Assert.Contains("State 'T': 'Catch[0].Next' names 'Gone', which is not a state in the same state machine or branch.",
            Problems("""{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": true, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Gone"}]}}}"""));

    [Fact]
    public void A_Choice_rule_needs_an_operator() =>
        Assert.Contains("State 'C': 'Choices[0]' has no comparison operator (such as StringEquals, NumericGreaterThan, IsPresent).",
            Problems("""{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "Next": "C"}]}}}"""));

    [Fact]
    public void Parameters_paths_and_intrinsics_are_checked_when_loading()
    {
        var problems = Problems("""{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true, "Parameters": {"a.$": "States.Nope()", "b.$": 5}}}}""");
        Assert.Contains(problems, p => p.StartsWith("State 'P': 'Parameters': 'a.$': The intrinsic function 'States.Nope()' is invalid", StringComparison.Ordinal));
        Assert.Contains("State 'P': 'Parameters': the value of 'b.$' must be a string holding a path or an intrinsic function.", problems);
    }

    [Fact]
    public void Problems_inside_branches_name_the_branch() =>
        Assert.Contains("State 'B' (branch 0 of 'Par'): 'Next' names 'Outside', which is not a state in the same state machine or branch.",
            Problems("""{"StartAt": "Par", "States": {"Par": {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "Next": "Outside"}}}]}, "Outside": {"Type": "Succeed"}}}"""));

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var problems = Problems("""{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "X"}, "B": {"Type": "Task", "End": true}}}""");
        Assert.Equal(2, problems.Count);
        Assert.Contains("State 'B' has no 'Resource' field.", problems);
    }

    [Fact]
    public void An_unknown_field_is_reported() =>
        Assert.Contains("State 'A': the field 'Resource' is not valid in a Pass state.",
            Problems("""{"StartAt": "A", "States": {"A": {"Type": "Pass", "Resource": "x", "End": true}}}"""));

    [Fact]
    public void A_Map_needs_an_item_processor() =>
        Assert.Contains("State 'M' has no 'ItemProcessor' (or 'Iterator').", Problems("""{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true}}}"""));

    [Fact]
    public void Valid_ASL_the_interpreter_does_not_run_is_refused_by_name() =>
        Assert.Contains("State 'A': workflow variables ('Assign') are not supported by the local interpreter.",
            Problems("""{"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"x": 1}, "End": true}}}"""));
}
