using Pipeline.StatesLanguage.Interpreter;
using Pipeline.StatesLanguage.Tests.Hosting;

namespace Pipeline.StatesLanguage.Tests.Interpreter;

public class ChoiceStateTests
{
    private readonly WorkflowHost _host = new();

    /// <summary>Runs a Choice with one rule; the output says which way it went.</summary>
    private string Choose(string rule, string input)
    {
        var execution = _host.Run($$"""
            { "StartAt": "Decide", "States": {
                "Decide": { "Type": "Choice", "Choices": [ {{rule}} ], "Default": "No" },
                "Yes": { "Type": "Pass", "Result": "yes", "End": true },
                "No": { "Type": "Pass", "Result": "no", "End": true } } }
            """, input);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        return execution.Output!.GetValue<string>();
    }

    [Theory]
    [InlineData("""{"Variable": "$.s", "StringEquals": "abc", "Next": "Yes"}""", "yes")]
    [InlineData("""{"Variable": "$.s", "StringLessThan": "abd", "Next": "Yes"}""", "yes")]
    [InlineData("""{"Variable": "$.s", "StringGreaterThan": "abc", "Next": "Yes"}""", "no")]
    [InlineData("""{"Variable": "$.s", "StringLessThanEquals": "abc", "Next": "Yes"}""", "yes")]
    [InlineData("""{"Variable": "$.s", "StringGreaterThanEquals": "abd", "Next": "Yes"}""", "no")]
    [InlineData("""{"Variable": "$.n", "NumericEquals": 10, "Next": "Yes"}""", "yes")]
    [InlineData("""{"Variable": "$.n", "NumericEquals": 10.0, "Next": "Yes"}""", "yes")]
    [InlineData("""{"Variable": "$.n", "NumericLessThan": 10, "Next": "Yes"}""", "no")]
    [InlineData("""{"Variable": "$.n", "NumericGreaterThan": 9.5, "Next": "Yes"}""", "yes")]
    [InlineData("""{"Variable": "$.n", "NumericLessThanEquals": 10, "Next": "Yes"}""", "yes")]
    [InlineData("""{"Variable": "$.n", "NumericGreaterThanEquals": 11, "Next": "Yes"}""", "no")]
    [InlineData("""{"Variable": "$.b", "BooleanEquals": true, "Next": "Yes"}""", "yes")]
    [InlineData("""{"Variable": "$.t", "TimestampEquals": "2024-01-01T00:00:00Z", "Next": "Yes"}""", "yes")]
    [InlineData("""{"Variable": "$.t", "TimestampLessThan": "2024-01-01T00:00:01Z", "Next": "Yes"}""", "yes")]
    [InlineData("""{"Variable": "$.t", "TimestampGreaterThan": "2024-01-01T01:00:00+02:00", "Next": "Yes"}""", "yes")]
    [InlineData("""{"Variable": "$.t", "TimestampLessThanEquals": "2023-12-31T23:59:59Z", "Next": "Yes"}""", "no")]
    [InlineData("""{"Variable": "$.t", "TimestampGreaterThanEquals": "2024-01-01T00:00:00Z", "Next": "Yes"}""", "yes")]
    public void ComparisonOperators_ChooseTheExpectedBranch(string rule, string expected) =>
        Assert.Equal(expected, Choose(rule, """{"s": "abc", "n": 10, "b": true, "t": "2024-01-01T00:00:00Z", "other": "abc", "ten": 10}"""));

    [Theory]
    [InlineData("""{"Variable": "$.s", "StringEqualsPath": "$.other", "Next": "Yes"}""", "yes")]
    [InlineData("""{"Variable": "$.n", "NumericGreaterThanPath": "$.nine", "Next": "Yes"}""", "yes")]
    [InlineData("""{"Variable": "$.n", "NumericLessThanEqualsPath": "$.nine", "Next": "Yes"}""", "no")]
    [InlineData("""{"Variable": "$.b", "BooleanEqualsPath": "$.yes", "Next": "Yes"}""", "yes")]
    [InlineData("""{"Variable": "$.t", "TimestampLessThanPath": "$.later", "Next": "Yes"}""", "yes")]
    [InlineData("""{"Variable": "$.s", "StringGreaterThanPath": "$.other", "Next": "Yes"}""", "no")]
    public void PathVariants_CompareWithAnotherValueOfTheInput(string rule, string expected) =>
        Assert.Equal(expected, Choose(rule, """{"s": "abc", "other": "abc", "n": 10, "nine": 9, "b": true, "yes": true, "t": "2024-01-01T00:00:00Z", "later": "2024-06-01T00:00:00Z"}"""));

    [Theory]
    [InlineData("""{"Variable": "$.missing", "IsPresent": false, "Next": "Yes"}""", "yes")]
    [InlineData("""{"Variable": "$.nothing", "IsNull": true, "Next": "Yes"}""", "yes")]
    [InlineData("""{"Variable": "$.n", "IsNumeric": true, "Next": "Yes"}""", "yes")]
    [InlineData("""{"Variable": "$.numberText", "IsNumeric": true, "Next": "Yes"}""", "no")]
    [InlineData("""{"Variable": "$.s", "IsString": true, "Next": "Yes"}""", "yes")]
    [InlineData("""{"Variable": "$.b", "IsBoolean": false, "Next": "Yes"}""", "no")]
    [InlineData("""{"Variable": "$.t", "IsTimestamp": true, "Next": "Yes"}""", "yes")]
    [InlineData("""{"Variable": "$.s", "IsTimestamp": true, "Next": "Yes"}""", "no")]
    public void TypeTestOperators_ChooseTheExpectedBranch(string rule, string expected) =>
        Assert.Equal(expected, Choose(rule, """{"s": "abc", "n": 1.5, "numberText": "15", "b": false, "nothing": null, "t": "2016-03-14T01:59:00Z"}"""));

    [Theory]
    [InlineData("log-*.txt", "log-2024.txt", "yes")]
    [InlineData("*.log", "server.txt", "no")]
    [InlineData("a*b*c", "aXXbYYc", "yes")]
    [InlineData("""literal\\*star""", "literal*star", "yes")]
    [InlineData("""literal\\*star""", "literalXstar", "no")]
    public void StringMatches_SupportsTheStarWildcardAndItsEscape(string pattern, string value, string expected) =>
        Assert.Equal(expected, Choose($$"""{"Variable": "$.v", "StringMatches": "{{pattern}}", "Next": "Yes"}""", $$"""{"v": "{{value}}"}"""));

    [Fact]
    public void AndOrAndNot_CombineRules() =>
        Assert.Equal("yes", Choose("""
            { "And": [
                { "Variable": "$.status", "StringEquals": "ACTIVE" },
                { "Or": [ { "Variable": "$.score", "NumericGreaterThan": 0.9 }, { "Variable": "$.forced", "BooleanEquals": true } ] },
                { "Not": { "Variable": "$.region", "StringEquals": "eu-west-1" } } ],
              "Next": "Yes" }
            """, """{"status": "ACTIVE", "score": 0.5, "forced": true, "region": "us-east-1"}"""));

    [Fact]
    public void TypeMismatch_IsFalseNotAnError() =>
        Assert.Equal("no", Choose("""{"Variable": "$.s", "NumericEquals": 1, "Next": "Yes"}""", """{"s": "1"}"""));

    [Fact]
    public void FirstMatchingRule_WinsAndTheChoicePassesItsInputOn()
    {
        var execution = _host.Run("""
            { "StartAt": "Decide", "States": {
                "Decide": { "Type": "Choice", "Choices": [
                    { "Variable": "$.n", "NumericGreaterThan": 1, "Next": "First" },
                    { "Variable": "$.n", "NumericGreaterThan": 0, "Next": "Second" } ] },
                "First": { "Type": "Succeed" },
                "Second": { "Type": "Succeed" } } }
            """, """{"n": 5}""");

        Assert.Equal(["Decide", "First"], execution.StatesEntered());
        Assert.Equal("""{"n":5}""", execution.Json());
    }

    [Fact]
    public void NoMatchingRuleAndNoDefault_FailsWithStatesNoChoiceMatched()
    {
        var execution = _host.Run("""
            { "StartAt": "Decide", "States": {
                "Decide": { "Type": "Choice", "Choices": [ { "Variable": "$.n", "NumericEquals": 1, "Next": "Done" } ] },
                "Done": { "Type": "Succeed" } } }
            """, """{"n": 2}""");

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("States.NoChoiceMatched", execution.Error);
    }

    [Fact]
    public void Variable_ThatSelectsNothing_IsARuntimeError()
    {
        var execution = _host.Run("""
            { "StartAt": "Decide", "States": {
                "Decide": { "Type": "Choice", "Choices": [ { "Variable": "$.missing", "StringEquals": "x", "Next": "Done" } ], "Default": "Done" },
                "Done": { "Type": "Succeed" } } }
            """, "{}");

        Assert.Equal("States.Runtime", execution.Error);
        Assert.Contains("Invalid path '$.missing'", execution.Cause, StringComparison.Ordinal);
    }
}
