namespace Pipeline.Workflows;

/// <summary>
/// The names of a poll loop's states, derived from the loop's name: <c>Init{Name}Poll</c>, <c>Count{Name}Poll</c>,
/// <c>Check{Name}Status</c>, <c>WaitFor{Name}</c> and, while the delay grows, <c>Backoff{Name}</c>,
/// <c>Clamp{Name}Delay</c>, <c>Double{Name}Delay</c>. A loop whose check and wait read better under other names
/// (the teardown's <c>{Kind}StillThere</c>) sets them.
/// </summary>
internal sealed record PollStateNames(string Name)
{
    public string Init => $"Init{Name}Poll";
    public string Count => $"Count{Name}Poll";
    public string Check { get; init; } = $"Check{Name}Status";
    public string Wait { get; init; } = $"WaitFor{Name}";
    public string Backoff => $"Backoff{Name}";
    public string Clamp => $"Clamp{Name}Delay";
    public string Double => $"Double{Name}Delay";
}
