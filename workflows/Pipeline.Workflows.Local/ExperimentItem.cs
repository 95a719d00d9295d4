using System.Globalization;
using System.Text.Json.Nodes;
using Pipeline.Domain.Experiments;
using Pipeline.StatesLanguage.Tasks;

namespace Pipeline.Workflows.Local;

/// <summary>
/// The training workflow's GetItem on the experiments table, answered from a local experiment store: the item in
/// DynamoDB's attribute-value JSON, with the attributes <c>DynamoDbExperimentStore</c> writes that the workflow reads
/// (<c>experimentKey</c>, <c>variants</c> as a list of maps with key, weight, recipe and campaign).
/// </summary>
public static class ExperimentItem
{
    /// <summary>The experiment key of a GetItem's <c>Key.experimentKey.S</c>.</summary>
    public static string KeyOf(JsonNode? parameters) =>
        parameters?["Key"]?["experimentKey"]?["S"]?.GetValue<string>()
            ?? throw new TaskFailedException("DynamoDB.ValidationException", "the local experiments table is keyed by experimentKey (S)");

    /// <summary>GetItem's result: <c>{"Item": {...}}</c>, or <c>{}</c> when there is no such experiment (as DynamoDB answers).</summary>
    public static JsonObject GetItemResult(Experiment? experiment)
    {
        if (experiment is null) return [];
        var variants = new JsonArray();
        foreach (var variant in experiment.Variants)
        {
            var map = new JsonObject
            {
                ["key"] = S(variant.Key),
                ["weight"] = new JsonObject { ["N"] = variant.Weight.ToString("R", CultureInfo.InvariantCulture) },
                ["recipe"] = S(variant.Recipe),
            };
            if (variant.Campaign is { } campaign) map["campaign"] = S(campaign);
            variants.Add(new JsonObject { ["M"] = map });
        }
        return new JsonObject
        {
            ["Item"] = new JsonObject
            {
                ["experimentKey"] = S(experiment.Key),
                ["variants"] = new JsonObject { ["L"] = variants },
            },
        };
    }

    private static JsonObject S(string value) => new() { ["S"] = value };
}
