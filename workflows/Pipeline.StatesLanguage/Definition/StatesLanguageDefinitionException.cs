namespace Pipeline.StatesLanguage.Definition;

/// <summary>The definition is not valid Amazon States Language; each problem names the state and the field.</summary>
public sealed class StatesLanguageDefinitionException : Exception
{
    public StatesLanguageDefinitionException(IReadOnlyList<string> problems)
        : base("The state machine definition is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }
}
