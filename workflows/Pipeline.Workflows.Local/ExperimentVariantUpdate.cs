using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pipeline.DeploymentContract;
using Pipeline.StatesLanguage.Tasks;

namespace Pipeline.Workflows.Local;

/// <summary>
/// The one DynamoDB write the training workflow makes, read back from its UpdateItem parameters:
/// <c>Key.experimentKey.S</c>, <c>SET variants[N].campaign = :campaign</c> and <c>:campaign.S</c> (the names of
/// <see cref="DynamoDbAttributes"/>, as the training machine writes them), so a local experiment store can apply it.
/// </summary>
public sealed partial record ExperimentVariantUpdate(string ExperimentKey, int VariantIndex, string CampaignArn)
{
    public static ExperimentVariantUpdate Parse(JsonNode? parameters)
    {
        var key = parameters?["Key"]?[DynamoDbAttributes.ExperimentKey]?["S"]?.GetValue<string>();
        var expression = parameters?["UpdateExpression"]?.GetValue<string>() ?? "";
        var match = SetCampaign().Match(expression);
        var campaign = match.Success ? parameters?["ExpressionAttributeValues"]?[match.Groups[2].Value]?["S"]?.GetValue<string>() : null;
        if (key is null || !match.Success || campaign is null)
        {
            throw new TaskFailedException("DynamoDB.ValidationException",
                $"the local experiments table supports only SET {DynamoDbAttributes.Variants}[N].{DynamoDbAttributes.VariantCampaign} = :value on Key {DynamoDbAttributes.ExperimentKey}; got '{expression}'");
        }
        return new ExperimentVariantUpdate(key, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), campaign);
    }

    /// <summary>DynamoDB's answer when the ConditionExpression (the experiment exists) or the variant index does not hold.</summary>
    public static TaskFailedException ConditionalCheckFailed(string message) => new("DynamoDB.ConditionalCheckFailedException", message);

    [GeneratedRegex(@"^\s*SET\s+" + DynamoDbAttributes.Variants + @"\[(\d+)\]\." + DynamoDbAttributes.VariantCampaign + @"\s*=\s*(:\w+)\s*$")]
    private static partial Regex SetCampaign();
}
