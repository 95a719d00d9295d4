namespace Pipeline.StatesLanguage.Tasks;

/// <summary>
/// Thrown by a task handler to fail the task with an AWS-style error name, e.g.
/// <c>new TaskFailedException("Personalize.ResourceNotFoundException", "Solution ... does not exist")</c>;
/// Retry and Catch match on <see cref="StateFailedException.Error"/>.
/// </summary>
public sealed class TaskFailedException : StateFailedException
{
    public TaskFailedException(string error, string? cause)
        : base(error, cause)
    {
    }
}
