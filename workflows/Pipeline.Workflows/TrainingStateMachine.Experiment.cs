using Amazon.CDK;
using Amazon.CDK.AWS.StepFunctions;
using Amazon.CDK.AWS.StepFunctions.Tasks;
using Pipeline.DeploymentContract;

namespace Pipeline.Workflows;

public sealed partial class TrainingStateMachine
{
    /// <summary>
    /// With an experiment in the input: read it, and for each of its variants whose recipe is this iteration's recipe set
    /// <c>variants[i].campaign</c> (DynamoDB keeps variants as a list of maps, so the index is found by a Map over them).
    /// The attribute names are the deployment contract's (<see cref="DynamoDbAttributes"/>), as DynamoDbExperimentStore writes them.
    /// </summary>
    private IChainable PointExperiment(IChainable next, IChainable failed)
    {
        var getExperiment = Guard(new DynamoGetItem(this, "GetExperiment", new DynamoGetItemProps
        {
            Table = _props.ExperimentsTable,
            Key = new Dictionary<string, DynamoAttributeValue>
            {
                [DynamoDbAttributes.ExperimentKey] = DynamoAttributeValue.FromString(JsonPath.StringAt("$.config.experiment")),
            },
            ConsistentRead = true,
            ResultPath = "$.experimentItem",
        }), failed, ThrottlingErrors.DynamoDb);
        var missing = new Pass(this, "ExperimentNotFound", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["State"] = "GetExperiment",
                ["Error"] = "Pipeline.ExperimentNotFound",
                ["Cause"] = JsonPath.Format("no experiment {} in the experiments table", JsonPath.StringAt("$.config.experiment")),
            },
            ResultPath = "$.error",
        });
        missing.Next(failed);

        var update = new DynamoUpdateItem(this, "PointExperimentVariant", new DynamoUpdateItemProps
        {
            Table = _props.ExperimentsTable,
            Key = new Dictionary<string, DynamoAttributeValue>
            {
                [DynamoDbAttributes.ExperimentKey] = DynamoAttributeValue.FromString(JsonPath.StringAt("$.experiment")),
            },
            UpdateExpression = JsonPath.Format(DynamoDbAttributes.VariantCampaignUpdate, JsonPath.StringAt("$.index")),
            ConditionExpression = $"attribute_exists({DynamoDbAttributes.ExperimentKey})",
            ExpressionAttributeValues = new Dictionary<string, DynamoAttributeValue>
            {
                [":campaign"] = DynamoAttributeValue.FromString(JsonPath.StringAt("$.campaignArn")),
            },
            ResultPath = JsonPath.DISCARD,
        });
        update.AddRetry(new RetryProps
        {
            Errors = ThrottlingErrors.DynamoDb,
            Interval = Duration.Seconds(1),
            BackoffRate = 2,
            MaxAttempts = 5,
            JitterStrategy = JitterType.FULL,
        });
        var variants = new Map(this, "PointVariants", new MapProps
        {
            ItemsPath = $"$.experimentItem.Item.{DynamoDbAttributes.Variants}.L",
            ItemSelector = new Dictionary<string, object>
            {
                ["index"] = JsonPath.NumberAt("$$.Map.Item.Index"),
                ["variant"] = JsonPath.StringAt("$$.Map.Item.Value"),
                ["recipe"] = JsonPath.StringAt("$.recipe"),
                ["experiment"] = JsonPath.StringAt("$.config.experiment"),
                ["campaignArn"] = JsonPath.StringAt("$.names.campaignArn"),
            },
            ResultPath = JsonPath.DISCARD,
        });
        variants.ItemProcessor(new Choice(this, "IsVariantOfRecipe")
            .When(Condition.And(
                Condition.IsPresent($"$.variant.M.{DynamoDbAttributes.VariantRecipe}.S"),
                Condition.StringEqualsJsonPath($"$.variant.M.{DynamoDbAttributes.VariantRecipe}.S", "$.recipe")), update)
            .Otherwise(new Pass(this, "OtherRecipesVariant")));
        // A failed update inside fails the Map; the iteration records it under the Map's name.
        variants.AddCatch(RecordError("PointVariants", failed), new CatchProps { Errors = [Errors.ALL], ResultPath = "$.error" });
        variants.Next(next);

        getExperiment.Next(new Choice(this, "ExperimentFound")
            .When(Condition.IsPresent("$.experimentItem.Item"), variants)
            .Otherwise(missing));
        return new Choice(this, "HasExperiment")
            .When(Condition.IsPresent("$.config.experiment"), getExperiment)
            .Otherwise(next);
    }
}
