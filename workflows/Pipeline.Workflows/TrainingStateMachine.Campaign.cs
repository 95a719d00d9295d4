using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.StepFunctions;
using Amazon.CDK.AWS.StepFunctions.Tasks;

namespace Pipeline.Workflows;

public sealed partial class TrainingStateMachine
{
    /// <summary>
    /// Creates the campaign (nothing served yet) or updates it (the gate promotes), polls it until the new version serves,
    /// points the experiment's variants at it and puts ModelPromoted on the bus. Returns the create and update entries.
    /// </summary>
    private (IChainable Create, IChainable Update) DeployToCampaign(IChainable failed)
    {
        var promoted = new Pass(this, "RecipePromoted", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["recipe"] = JsonPath.StringAt("$.recipe"),
                ["status"] = "PROMOTED",
                ["solutionVersionArn"] = JsonPath.StringAt("$.training.solutionVersionArn"),
                ["campaignArn"] = JsonPath.StringAt("$.names.campaignArn"),
                ["metrics"] = JsonPath.StringAt("$.metrics.values"),
            },
        });
        var emit = Guard(new EventBridgePutEvents(this, "EmitModelPromoted", new EventBridgePutEventsProps
        {
            Entries =
            [
                new EventBridgePutEventsEntry
                {
                    EventBus = EventBus.FromEventBusName(this, "DefaultBus", "default"),
                    Source = _props.EventSource,
                    DetailType = "ModelPromoted",
                    Detail = TaskInput.FromObject(new Dictionary<string, object>
                    {
                        ["recipe"] = JsonPath.StringAt("$.recipe"),
                        ["solutionArn"] = JsonPath.StringAt("$.names.solutionArn"),
                        ["solutionVersionArn"] = JsonPath.StringAt("$.training.solutionVersionArn"),
                        ["campaignArn"] = JsonPath.StringAt("$.names.campaignArn"),
                        ["metrics"] = JsonPath.StringAt("$.metrics.values"),
                        ["execution"] = JsonPath.StringAt("$$.Execution.Id"),
                    }),
                },
            ],
            ResultPath = JsonPath.DISCARD,
        }), failed, ThrottlingErrors.EventBridge);
        emit.Next(promoted);

        var pointExperiment = PointExperiment(emit, failed);

        // Creating: DescribeServingCampaign said there is none and the gate promotes the first version.
        var describeNewCampaign = Guard(Personalize("DescribeNewCampaign", "describeCampaign",
            new() { ["CampaignArn"] = JsonPath.StringAt("$.names.campaignArn") }, "campaign", StatusOf("Campaign"), "$.campaign"), failed);
        var newCampaignPoll = PollLoop.UntilActive(this, "NewCampaign", "campaign", describeNewCampaign, _props.CampaignPoll, pointExperiment, failed,
            "Personalize.CampaignFailed", "CREATE FAILED");
        var createCampaign = Guard(Personalize("CreateCampaign", "createCampaign", new()
        {
            ["Name"] = JsonPath.StringAt("$.names.solutionName"),
            ["SolutionVersionArn"] = JsonPath.StringAt("$.training.solutionVersionArn"),
            ["MinProvisionedTPS"] = 1,
        }, "campaign,solution", null, JsonPath.DISCARD), failed);
        createCampaign.Next(newCampaignPoll);

        // Updating: an update keeps the campaign ACTIVE on the old version; LatestCampaignUpdate.Status tells when the new one serves.
        var describeUpdate = Guard(Personalize("DescribeCampaignUpdate", "describeCampaign",
            new() { ["CampaignArn"] = JsonPath.StringAt("$.names.campaignArn") }, "campaign",
            new() { ["status"] = JsonPath.StringAt("$.Campaign.LatestCampaignUpdate.Status"), ["resource"] = JsonPath.StringAt("$.Campaign") }, "$.campaignUpdate"), failed);
        var updatePoll = PollLoop.UntilActive(this, "CampaignUpdate", "campaignUpdate", describeUpdate, _props.CampaignPoll, pointExperiment, failed,
            "Personalize.CampaignUpdateFailed", "CREATE FAILED");
        var updateCampaign = Guard(Personalize("UpdateCampaign", "updateCampaign", new()
        {
            ["CampaignArn"] = JsonPath.StringAt("$.names.campaignArn"),
            ["SolutionVersionArn"] = JsonPath.StringAt("$.training.solutionVersionArn"),
        }, "campaign,solution", null, JsonPath.DISCARD), failed);
        updateCampaign.Next(updatePoll);

        return (createCampaign, updateCampaign);
    }
}
