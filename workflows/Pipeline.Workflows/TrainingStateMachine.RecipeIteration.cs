using Amazon.CDK.AWS.StepFunctions;

namespace Pipeline.Workflows;

/// <summary>
/// TrainRecipes (Map, all recipes at once). One iteration: name the recipe's resources, train a solution version and
/// read its metrics (<see cref="TrainSolution"/>), let the metric gate decide (<see cref="MetricGate"/>), deploy to the
/// campaign and point the experiment (<see cref="DeployToCampaign"/>). A recipe that fails ends its iteration in
/// RecipeFailed without stopping the others.
/// </summary>
public sealed partial class TrainingStateMachine
{
    private Map TrainRecipes()
    {
        var map = new Map(this, "TrainRecipes", new MapProps
        {
            Comment = "All recipes at once; each iteration ends with {recipe, status: PROMOTED|NOT_PROMOTED|FAILED, ...}",
            ItemsPath = "$.recipes",
            ItemSelector = new Dictionary<string, object>
            {
                ["recipe"] = JsonPath.StringAt("$$.Map.Item.Value"),
                ["config"] = JsonPath.StringAt("$"),
            },
            MaxConcurrency = 0,
            ResultPath = "$.results",
        });
        map.ItemProcessor(RecipeIteration());
        return map;
    }

    private IChainable RecipeIteration()
    {
        var failed = new Pass(this, "RecipeFailed", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["recipe"] = JsonPath.StringAt("$.recipe"),
                ["status"] = "FAILED",
                ["error"] = JsonPath.StringAt("$.error"),
            },
        });
        var names = new Pass(this, "NameRecipeResources", new PassProps
        {
            Comment = "Solution and campaign are both named {dataset_group}-{recipe}: a rerun finds what an earlier run created",
            Parameters = new Dictionary<string, object>
            {
                ["solutionName"] = JsonPath.Format("{}-{}", JsonPath.StringAt("$.config.dataset_group"), JsonPath.StringAt("$.recipe")),
                ["solutionArn"] = JsonPath.Format(ArnTemplate("solution", "{}-{}"), JsonPath.StringAt("$.config.dataset_group"), JsonPath.StringAt("$.recipe")),
                ["campaignArn"] = JsonPath.Format(ArnTemplate("campaign", "{}-{}"), JsonPath.StringAt("$.config.dataset_group"), JsonPath.StringAt("$.recipe")),
                ["datasetGroupArn"] = JsonPath.Format(ArnTemplate("dataset-group", "{}"), JsonPath.StringAt("$.config.dataset_group")),
                ["recipeArn"] = JsonPath.Format("arn:aws:personalize:::recipe/{}", JsonPath.StringAt("$.recipe")),
            },
            ResultPath = "$.names",
        });

        // After training: metrics, then create or (gated) update the campaign, then point the experiment.
        // Built from the end back, so that each phase is given the state that follows it.
        var (createCampaign, updateCampaign) = DeployToCampaign(failed);
        var metricGate = MetricGate(createCampaign, updateCampaign, failed);
        names.Next(TrainSolution(metricGate, failed));
        return names;
    }
}
