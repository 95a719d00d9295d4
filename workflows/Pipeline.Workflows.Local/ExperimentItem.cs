using System.Globalization;
using System.Text.Json.Nodes;
using Pipeline.DeploymentContract;
using Pipeline.Domain.Experiments;
using Pipeline.StatesLanguage.Tasks;

namespace Pipeline.Workflows.Local;

/// <summary>
/// The training workflow's GetItem on the experiments table, answered from a local experiment store: the item in
/// DynamoDB's attribute-value JSON, with the attributes <c>DynamoDbExperimentStore</c> writes that the workflow reads
/// (<c>experimentKey</c>, <c>variants</c> as a list of maps with key, weight, recipe and campaign: <see cref="DynamoDbAttributes"/>).
/// </summary>
public static class ExperimentItem
{
    /// <summary>The experiment key of a GetItem's <c>Key.experimentKey.S</c>.</summary>
    public static string KeyOf(JsonNode? parameters) =>
        parameters?["Key"]?[DynamoDbAttributes.ExperimentKey]?["S"]?.GetValue<string>()
            ?? throw new TaskFailedException("DynamoDB.ValidationException", $"the local experiments table is keyed by {DynamoDbAttributes.ExperimentKey} (S)");

    /// <summary>GetItem's result: <c>{"Item": {...}}</c>, or <c>{}</c> when there is no such experiment (as DynamoDB answers).</summary>
    public static JsonObject GetItemResult(Experiment? experiment)
    {
        if (experiment is null) return [];
        var variants = new JsonArray();
        foreach (var variant in experiment.Variants)
        {
            var map = new JsonObject
            {
                [DynamoDbAttributes.VariantKey] = S(variant.Key),
                [DynamoDbAttributes.VariantWeight] = new JsonObject { ["N"] = variant.Weight.ToString("R", CultureInfo.InvariantCulture) },
                [DynamoDbAttributes.VariantRecipe] = S(variant.Recipe),
            };
            if (variant.Campaign is { } campaign) map[DynamoDbAttributes.VariantCampaign] = S(campaign);
            variants.Add(new JsonObject { ["M"] = map });
        }
        return new JsonObject
        {
            ["Item"] = new JsonObject
            {
                [DynamoDbAttributes.ExperimentKey] = S(experiment.Key),
                [DynamoDbAttributes.Variants] = new JsonObject { ["L"] = variants },
            },
        };
    }

    private static JsonObject S(string value) => new() { ["S"] = value };
}
