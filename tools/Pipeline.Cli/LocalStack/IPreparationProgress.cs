namespace Pipeline.Cli.LocalStack;

/// <summary>What preparing the local stack reports while it works; the CLI draws it as progress bars.</summary>
public interface IPreparationProgress
{
    /// <summary>Starts a step; <paramref name="total"/> is its size in units of <see cref="IPreparationStep.Advance"/>.</summary>
    IPreparationStep Start(string description, double total = 1);
}

public interface IPreparationStep : IDisposable
{
    void Advance(double amount);

    /// <summary>Marks the step done with a short note (e.g. "reused", "12,345 rows").</summary>
    void Complete(string note);
}
