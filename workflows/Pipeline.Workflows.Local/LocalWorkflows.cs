using Pipeline.Workflows.Definitions;

namespace Pipeline.Workflows.Local;

/// <summary>The state machines that run locally, by name, each the ASL `cdk synth` writes (no second copy).</summary>
public static class LocalWorkflows
{
    public const string Training = "training";
    public const string Teardown = "teardown";

    public static IReadOnlyDictionary<string, Func<string>> Definitions { get; } = new Dictionary<string, Func<string>>(StringComparer.OrdinalIgnoreCase)
    {
        [Training] = () => TrainingDefinition.Json,
        [Teardown] = () => TeardownDefinition.Json,
    };

    public static bool TryGetDefinition(string name, out string definitionJson)
    {
        if (Definitions.TryGetValue(name, out var definition))
        {
            definitionJson = definition();
            return true;
        }
        definitionJson = "";
        return false;
    }
}
