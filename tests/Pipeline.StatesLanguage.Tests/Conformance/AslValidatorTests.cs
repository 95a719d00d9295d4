using System.Diagnostics;

namespace Pipeline.StatesLanguage.Tests.Conformance;

/// <summary>
/// Every definition CDK synthesizes (workflows/Pipeline.Workflows.Definitions/*.asl.json) and every differential
/// definition passes asl-validator, the npm package pinned in package.json. Like the services the tests start
/// themselves, a fresh clone gets it from `npm ci` (the lock file's version) on first use.
/// </summary>
public sealed class AslValidatorTests
{
    private static readonly string RepoRoot = FindRepoRoot();

    public static TheoryData<string> Definitions => new(DefinitionPaths);

    private static IEnumerable<string> DefinitionPaths =>
        Directory.GetFiles(Path.Combine(RepoRoot, "workflows", "Pipeline.Workflows.Definitions"), "*.asl.json")
            .Concat(Directory.GetFiles(Path.Combine(RepoRoot, "tests", "Pipeline.StatesLanguage.Tests", "Conformance", "Definitions"), "*.asl.json"))
            .Select(path => Path.GetRelativePath(RepoRoot, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Definitions))]
    public async Task Definition_PassesAslValidator(string definition)
    {
        var (exitCode, output) = await RunValidatorAsync(definition);

        Assert.True(exitCode == 0, $"asl-validator rejected {definition} (exit {exitCode}):\n{output}");
        Assert.Contains("is valid", output, StringComparison.Ordinal);
    }

    [Fact]
    public void SynthesizedTrainingDefinition_IsAmongThoseValidated() =>
        Assert.Contains("workflows/Pipeline.Workflows.Definitions/training.asl.json", DefinitionPaths);

    [Fact]
    public async Task Validator_RejectsADefinitionWhoseStartAtNamesNoState()
    {
        // The check can fail: a broken definition must make asl-validator exit non-zero.
        var path = Path.Combine(Path.GetTempPath(), $"asl-invalid-{Guid.NewGuid():N}.asl.json");
        await File.WriteAllTextAsync(path, """{ "StartAt": "Missing", "States": { "Only": { "Type": "Succeed" } } }""");
        try
        {
            var (exitCode, output) = await RunValidatorAsync(path);

            Assert.NotEqual(0, exitCode);
            Assert.Contains("MISSING_TRANSITION_TARGET", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static readonly Lazy<Task> Installed = new(InstallPinnedValidatorAsync);

    private static async Task InstallPinnedValidatorAsync()
    {
        var validator = Path.Combine(RepoRoot, "node_modules", ".bin", "asl-validator");
        if (File.Exists(validator)) return;
        var (exitCode, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], TimeSpan.FromMinutes(5));
        Assert.True(exitCode == 0 && File.Exists(validator), $"`npm ci` at {RepoRoot} did not install asl-validator (exit {exitCode}):\n{output}");
    }

    private static async Task<(int ExitCode, string Output)> RunValidatorAsync(string definitionPath)
    {
        await Installed.Value;
        // --no-install: only the pinned copy in node_modules, never a download.
        return await RunAsync("npx", ["--no-install", "asl-validator", "--json-path", definitionPath], TimeSpan.FromMinutes(2));
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, string[] arguments, TimeSpan limit)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No Pipeline.sln above {AppContext.BaseDirectory}.");
    }
}
