namespace Pipeline.Engine.Evaluation;

/// <summary>How test interactions are chosen.</summary>
public enum HoldoutStrategy
{
    /// <summary>Personalize's: 10% of users held out; for each, the newest 10% of their interactions are the target.</summary>
    Personalize,

    /// <summary>Every user's newest 10% of interactions are the target.</summary>
    Time,

    /// <summary>A random 10% of every user's interactions are the target (for data without meaningful timestamps).</summary>
    Random,
}
