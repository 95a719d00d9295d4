using System.Text.Json.Nodes;
using Pipeline.Cli.Experiments;

namespace Pipeline.Cli.Tests.Experiments;

/// <summary>Every case of reference.json, every expected field, within tolerance.</summary>
public sealed class ReferenceCaseRunnerConformanceTests
{
    public static TheoryData<int, string> AllCases()
    {
        var data = new TheoryData<int, string>();
        for (var i = 0; i < ReferenceFile.Cases.Count; i++) data.Add(i, ReferenceFile.Case(i)["kind"]!.GetValue<string>());
        return data;
    }

    [Fact]
    public void WholeReferenceFile_RunsInOneCallWithOneResultPerCaseInOrder()
    {
        var results = ReferenceCaseRunner.Run(File.ReadAllText(ReferenceFile.Path));

        Assert.Equal(ReferenceFile.Cases.Count, results.Count);
        for (var i = 0; i < results.Count; i++)
        {
            Assert.Equal(i, results[i].Index);
            Assert.Equal(ReferenceFile.Case(i)["kind"]!.GetValue<string>(), results[i].Kind);
        }
    }

    [Fact]
    public void EveryNonSrmExpectedValue_IsMatchedToItsPrintedSixDecimals()
    {
        // Stricter than the 1e-4 contract: the expected values are rounded to 6 decimals, so an exact
        // implementation is within 5e-7 of them; allow 1e-6.
        var results = ReferenceCaseRunner.Run(ReferenceFile.Root);
        for (var index = 0; index < results.Count; index++)
        {
            if (results[index].Kind == "srm") continue;
            foreach (var (field, expectedValue) in (JsonObject)ReferenceFile.Case(index)["expected"]!)
            {
                var expected = expectedValue is JsonArray a ? a.Select(v => v!.GetValue<double>()).ToArray() : [expectedValue!.GetValue<double>()];
                var actualNode = results[index].Results[field]!;
                var actual = actualNode is JsonArray b ? b.Select(v => v!.GetValue<double>()).ToArray() : [actualNode.GetValue<double>()];
                for (var i = 0; i < expected.Length; i++)
                    AssertClose(expected[i], actual[i], 1e-6, $"case {index} ({results[index].Kind}) {field}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Case_MatchesEveryExpectedFieldWithinTolerance(int index, string kind)
    {
        var input = ReferenceFile.Case(index);
        var document = new JsonObject { ["cases"] = new JsonArray(input.DeepClone()) };

        var result = Assert.Single(ReferenceCaseRunner.Run(document));

        Assert.Equal(kind, result.Kind);
        var expected = (JsonObject)input["expected"]!;
        Assert.NotEmpty(expected);
        foreach (var (field, expectedValue) in expected)
        {
            var actualValue = result.Results[field];
            Assert.True(actualValue is not null, $"case {index} ({kind}): no '{field}' in the results");
            if (expectedValue is JsonArray expectedArray)
            {
                var actualArray = Assert.IsType<JsonArray>(actualValue);
                Assert.Equal(expectedArray.Count, actualArray.Count);
                for (var i = 0; i < expectedArray.Count; i++)
                    AssertClose(expectedArray[i]!.GetValue<double>(), actualArray[i]!.GetValue<double>(),
                        ReferenceTolerance.Default, $"case {index} ({kind}) {field}[{i}]");
            }
            else
            {
                var expectedNumber = expectedValue!.GetValue<double>();
                var actualNumber = actualValue!.GetValue<double>();
                AssertClose(expectedNumber, actualNumber, ReferenceTolerance.Default,
                    $"case {index} ({kind}) {field}");
            }
        }
    }

    private static void AssertClose(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance,
            $"{what}: expected {expected}, got {actual} (|diff| {Math.Abs(expected - actual):G3} > {tolerance:G3})");
}
