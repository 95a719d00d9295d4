namespace Pipeline.StatesLanguage;

/// <summary>A state failed with a States Language error name and cause; Retry and Catch see exactly these two strings.</summary>
public class StateFailedException : Exception
{
    public StateFailedException(string error, string? cause)
        : base(cause is null ? error : $"{error}: {cause}")
    {
        Error = error;
        Cause = cause;
    }

    public string Error { get; }

    public string? Cause { get; }
}
