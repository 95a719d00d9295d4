namespace Pipeline.Cli.Rehearsal;

/// <summary>A check the rehearsal makes that did not hold; its message is the step's one-line reason.</summary>
public sealed class StepFailedException(string reason) : Exception(reason);

/// <summary>Runs the rehearsal's steps in order and prints each as it ends: ✓ or ✗, its name, one line of why.</summary>
public sealed class RehearsalSteps(TextWriter output)
{
    private readonly List<(string Name, bool Passed)> _results = [];

    public bool AllPassed => _results.Count > 0 && _results.All(r => r.Passed);

    public int Failed => _results.Count(r => !r.Passed);

    public int Count => _results.Count;

    /// <summary>Runs one step: its reason on success, the exception's message on failure (one line, never a stack trace).</summary>
    public async Task<bool> RunAsync(string name, Func<Task<string>> step)
    {
        bool passed;
        string reason;
        try
        {
            reason = await step();
            passed = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            reason = e is StepFailedException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            passed = false;
        }
        await ReportAsync(name, passed, reason);
        return passed;
    }

    /// <summary>A step that cannot run because an earlier one failed.</summary>
    public Task NotRunAsync(string name, string because) => ReportAsync(name, false, "not run: " + because);

    private async Task ReportAsync(string name, bool passed, string reason)
    {
        _results.Add((name, passed));
        var line = reason.ReplaceLineEndings(" ");
        if (line.Length > 400) line = line[..400] + "…";
        await output.WriteLineAsync($"{(passed ? "✓" : "✗")} {name}: {line}");
        await output.FlushAsync();
    }
}
