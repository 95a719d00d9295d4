using System.Text.Json.Nodes;

namespace Pipeline.StatesLanguage.Tests.Conformance;

/// <summary>
/// A case where moto 5.2.1 departs from what AWS documents. <see cref="AwsBehaviour"/> turns moto's outcome into
/// AWS's, which this interpreter must give; <see cref="Documentation"/> is where AWS says so.
/// </summary>
public sealed record MotoDeviation(string Behaviour, string Documentation, Func<ExecutionOutcome, ExecutionOutcome> AwsBehaviour);

/// <summary>
/// The named list of known moto deviations, by case id (definition#input index). The differential test asserts
/// that moto still differs for each (so a fixed moto fails the test until the entry is removed) and that this
/// interpreter gives AWS's answer.
/// </summary>
public static class MotoDeviations
{
    private static readonly Dictionary<string, MotoDeviation> Known = new(StringComparer.Ordinal)
    {
        ["string-output#0"] = new(
            "DescribeExecution's output is the execution's output as JSON text; moto returns a string output unquoted (ada, not \"ada\").",
            "https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html (output: the JSON output data of the execution)",
            moto => moto with { OutputText = JsonValue.Create(moto.OutputText)!.ToJsonString(), Output = JsonValue.Create(moto.OutputText) }),

        ["array-range-descending#0"] = new(
            "States.ArrayRange takes any non-zero increment; moto fails the execution with States.Runtime for a negative one.",
            "https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-arrays (States.ArrayRange: you must specify a non-zero value for the third argument)",
            moto => new ExecutionOutcome("SUCCEEDED", """{"down":[10,7,4,1],"from":10}""", JsonNode.Parse("""{"down":[10,7,4,1],"from":10}"""), null, null,
                ["ExecutionStarted", "PassStateEntered(Countdown)", "PassStateExited(Countdown)", "ExecutionSucceeded"])),

        ["array-unique-objects#0"] = new(
            "States.ArrayUnique takes an array of any JSON values; moto fails the execution with States.Runtime (a Python TypeError, unhashable dict) when they are objects.",
            "https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-arrays (States.ArrayUnique: removes duplicate values from an array)",
            moto => new ExecutionOutcome("SUCCEEDED", """{"unique":[{"a":1},{"b":2}]}""", JsonNode.Parse("""{"unique":[{"a":1},{"b":2}]}"""), null, null,
                ["ExecutionStarted", "PassStateEntered(Dedupe)", "PassStateExited(Dedupe)", "ExecutionSucceeded"])),

        ["format-escapes#0"] = new(
            "Intrinsic string literals escape ' { } and \\ with a backslash; moto cuts the literal at the escaped quote and gives \"quote \\\\\".",
            "https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html (reserved characters: ' { } \\ must be escaped with \\)",
            moto =>
            {
                var output = JsonNode.Parse("""{"escaped":"quote ' brace { } ada"}""");
                return moto with { Output = output, OutputText = output!.ToJsonString() };
            }),

        ["reference-path-into-array#0"] = new(
            "A reference path selects a single node; moto returns a path with an index followed by a field ($[1].name, also $.lines[0].sku) as a one-element list ([\"b\"]).",
            "https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html (reference paths can only identify a single node in a JSON structure)",
            moto =>
            {
                var output = JsonNode.Parse("""{"second":"b","first":{"name":"a"}}""");
                return moto with { Output = output, OutputText = output!.ToJsonString() };
            }),
    };

    public static IReadOnlyCollection<string> CaseIds => Known.Keys;

    public static MotoDeviation? For(string caseId) => Known.GetValueOrDefault(caseId);
}
