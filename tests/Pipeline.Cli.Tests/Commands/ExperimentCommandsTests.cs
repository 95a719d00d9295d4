using System.Text.Json.Nodes;
using static Pipeline.Cli.Tests.Commands.InProcessCli;

namespace Pipeline.Cli.Tests.Commands;

public sealed class ExperimentCommandsTests
{
    // ../shared/conformance/stats/reference.json, found the way the runner's own tests find it (Pipeline.Testing).
    private static string ReferencePath() => ReferenceFile.Path;

    [Fact]
    public async Task Analyze_WithJson_PrintsResultsMatchingEveryExpectedValueOfTheReferenceFile()
    {
        var path = ReferencePath();

        var (exitCode, output, error) = await Run("experiment", "analyze", "--input", path, "--json");

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        var cases = (JsonArray)JsonNode.Parse(output)!["cases"]!;
        var reference = (JsonArray)JsonNode.Parse(File.ReadAllText(path))!["cases"]!;
        Assert.Equal(reference.Count, cases.Count);
        var compared = 0;
        for (var i = 0; i < reference.Count; i++)
        {
            Assert.Equal(reference[i]!["kind"]!.GetValue<string>(), cases[i]!["kind"]!.GetValue<string>());
            var results = (JsonObject)cases[i]!["results"]!;
            foreach (var (field, expected) in (JsonObject)reference[i]!["expected"]!)
            {
                var expectedValues = expected is JsonArray e ? e.Select(v => v!.GetValue<double>()).ToArray() : [expected!.GetValue<double>()];
                var actualNode = results[field];
                Assert.True(actualNode is not null, $"case {i}: no '{field}'");
                var actualValues = actualNode is JsonArray a ? a.Select(v => v!.GetValue<double>()).ToArray() : [actualNode!.GetValue<double>()];
                Assert.Equal(expectedValues.Length, actualValues.Length);
                var tolerance = ReferenceTolerance.Default;
                for (var k = 0; k < expectedValues.Length; k++)
                {
                    Assert.True(Math.Abs(expectedValues[k] - actualValues[k]) <= tolerance,
                        $"case {i} {field}: expected {expectedValues[k]}, got {actualValues[k]}");
                    compared++;
                }
            }
        }
        Assert.True(compared > 200, $"only {compared} values compared");
    }

    [Fact]
    public async Task Analyze_WithoutJson_PrintsATablePerCase()
    {
        var (exitCode, output, _) = await Run("experiment", "analyze", "--input", ReferencePath());

        Assert.Equal(0, exitCode);
        Assert.Contains("case 0: proportion", output);
        Assert.Contains("chance_to_win", output);
        Assert.Contains("adjusted", output);
        Assert.Contains("ci_low", output);
    }

    [Fact]
    public async Task Analyze_OfAMissingFile_FailsWithOneLineOnStderr()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.json");

        var (exitCode, output, error) = await Run("experiment", "analyze", "--input", missing);

        Assert.NotEqual(0, exitCode);
        Assert.Equal("", output);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains("not found", lines[0]);
    }

    [Fact]
    public async Task Analyze_OfAnInvalidFile_FailsWithOneLineNamingTheProblem()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{"cases": [{"kind": "proportion", "control": {"units": 10}}]}""");
        try
        {
            var (exitCode, output, error) = await Run("experiment", "analyze", "--input", path);

            Assert.NotEqual(0, exitCode);
            Assert.Equal("", output);
            var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("cases[0].control", line);
            Assert.Contains("conversions", line);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Analyze_WithoutInput_IsAUsageError()
    {
        var (exitCode, _, error) = await Run("experiment", "analyze");

        Assert.Equal(2, exitCode);
        Assert.Contains("--input", error);
    }
}
