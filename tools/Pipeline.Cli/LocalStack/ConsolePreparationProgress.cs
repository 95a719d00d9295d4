using Spectre.Console;

namespace Pipeline.Cli.LocalStack;

/// <summary>Progress as one line per finished step, for output that is not a terminal (logs, CI, tests).</summary>
public sealed class LinePreparationProgress(IAnsiConsole console) : IPreparationProgress
{
    public IPreparationStep Start(string description, double total = 1) => new Step(console, description);

    private sealed class Step(IAnsiConsole console, string description) : IPreparationStep
    {
        public void Advance(double amount)
        {
        }

        public void Complete(string note) => console.MarkupLineInterpolated($"[green]✓[/] {description}: {note}");

        public void Dispose()
        {
        }
    }
}

/// <summary>Progress bars in a terminal, one per step.</summary>
public sealed class BarPreparationProgress(ProgressContext context) : IPreparationProgress
{
    public IPreparationStep Start(string description, double total = 1) =>
        new Step(context.AddTask(Markup.Escape(description), maxValue: Math.Max(total, 1)), description);

    private sealed class Step(ProgressTask task, string description) : IPreparationStep
    {
        public void Advance(double amount) => task.Increment(amount);

        public void Complete(string note)
        {
            task.Description = $"{Markup.Escape(description)} [grey]({Markup.Escape(note)})[/]";
            task.Value = task.MaxValue;
        }

        public void Dispose() => task.StopTask();
    }
}
