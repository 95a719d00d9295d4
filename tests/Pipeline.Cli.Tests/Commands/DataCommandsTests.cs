using static Pipeline.Cli.Tests.Commands.InProcessCli;

namespace Pipeline.Cli.Tests.Commands;

public sealed class DataCommandsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pipeline-cli-tests-" + Guid.NewGuid().ToString("N"));

    public DataCommandsTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Generate_WritesTheDatasetAndASummary()
    {
        var directory = Path.Combine(_root, "data");
        var (exitCode, output, error) = await Run("data", "generate", "--out", directory, "--users", "50", "--items", "40", "--interactions", "600", "--seed", "3");

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.Equal(601, File.ReadAllLines(Path.Combine(directory, "interactions.csv")).Length);
        Assert.Equal(41, File.ReadAllLines(Path.Combine(directory, "items.csv")).Length);
        Assert.Equal(51, File.ReadAllLines(Path.Combine(directory, "users.csv")).Length);
        foreach (var schema in new[] { "interactions-schema.json", "items-schema.json", "users-schema.json" })
            Assert.True(File.Exists(Path.Combine(directory, schema)), schema);
        Assert.Contains("interactions", output, StringComparison.Ordinal);
        Assert.Contains("600", output, StringComparison.Ordinal);
        Assert.Contains("seconds", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_WithSameSeedTwice_WritesSameBytes()
    {
        var first = Path.Combine(_root, "first");
        var second = Path.Combine(_root, "second");
        Assert.Equal(0, (await Run("data", "generate", "--out", first, "--users", "20", "--interactions", "300")).ExitCode);
        Assert.Equal(0, (await Run("data", "generate", "--out", second, "--users", "20", "--interactions", "300")).ExitCode);
        Assert.Equal(File.ReadAllBytes(Path.Combine(first, "interactions.csv")), File.ReadAllBytes(Path.Combine(second, "interactions.csv")));
    }

    [Theory]
    [InlineData("--users", "-5", "users must be at least 1 (got -5).")]
    [InlineData("--items", "0", "items must be at least 1 (got 0).")]
    [InlineData("--interactions", "10", "interactions (10) must be at least the number of users (1000).")]
    public async Task Generate_WithInvalidCount_FailsWithOneLineAndWritesNothing(string option, string value, string message)
    {
        var directory = Path.Combine(_root, "never");
        var (exitCode, output, error) = await Run("data", "generate", "--out", directory, option, value);

        Assert.Equal(2, exitCode);
        Assert.Equal($"error: {message}" + Environment.NewLine, error);
        Assert.Equal("", output);
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public async Task Generate_WithoutOut_IsAUsageError()
    {
        var (exitCode, _, error) = await Run("data", "generate");
        Assert.Equal(2, exitCode);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("--out", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_WithOutNamingAFile_FailsWithoutTouchingIt()
    {
        var file = Path.Combine(_root, "taken");
        await File.WriteAllTextAsync(file, "keep me");
        var (exitCode, _, error) = await Run("data", "generate", "--out", file, "--users", "5", "--interactions", "50");
        Assert.Equal(2, exitCode);
        Assert.Contains("is a file", error, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(file));
    }
}
