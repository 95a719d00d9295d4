namespace Pipeline.StatesLanguage.Interpreter;

public sealed class StateMachineRunnerOptions
{
    /// <summary>The clock for history timestamps, `$$` times and every wait; a fake clock makes runs deterministic.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Multiplies every real wait (Wait states, retry intervals, timeouts, heartbeats): 0.001 runs an hour's Wait in 3.6 s.
    /// Timestamps still come from <see cref="TimeProvider"/>.
    /// </summary>
    public double WaitScale { get; init; } = 1.0;

    public string StateMachineName { get; init; } = "StateMachine";

    public string Region { get; init; } = "us-east-1";

    public string AccountId { get; init; } = "123456789012";

    /// <summary>Seeds retry jitter and States.MathRandom; null uses a random seed.</summary>
    public int? RandomSeed { get; init; }

    public string StateMachineArn => $"arn:aws:states:{Region}:{AccountId}:stateMachine:{StateMachineName}";
}
