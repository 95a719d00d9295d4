using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Json;
using Pipeline.Personalize.Local.Lifecycle;
using Pipeline.Personalize.Local.Resources;
using Pipeline.Personalize.Local.Runtime;

namespace Pipeline.Personalize.Local.ControlPlane;

/// <summary>Campaigns deploy a solution version; an update keeps the old version serving until the new one is ACTIVE.</summary>
internal sealed class CampaignOperations(PersonalizeContext context)
{
    public void Register(OperationTable operations)
    {
        operations.AddResource("Campaign", CreateAsync, Describe, List, DeleteAsync);
        operations.Add("UpdateCampaign", UpdateAsync);
    }

    public void Resume()
    {
        foreach (var campaign in context.Store.Read(s => s.Campaigns.Values.ToList()))
        {
            if (Statuses.IsCreating(campaign.Status)) Deploy(campaign.Arn);
            else if (Statuses.IsDeleting(campaign.Status)) context.RunDeletion(s => s.Campaigns, campaign.Arn);
            else if (Statuses.IsCreating(campaign.LatestCampaignUpdate?.Status)) RunUpdate(campaign.Arn);
        }
    }

    private async Task<JsonObject> CreateAsync(Request request, CancellationToken cancellationToken)
    {
        var name = request.Name();
        var versionArn = request.Arn("solutionVersionArn");
        var tps = request.Int("minProvisionedTPS", min: 1) ?? 1;
        var config = ReadConfig(request);
        var arn = context.Arns.Campaign(name);
        return await Creating.StartAsync(context, s => s.Campaigns, arn, "campaignArn", state =>
        {
            PersonalizeContext.RequireActive(state.SolutionVersions, versionArn, "solution version");
            return new CampaignResource { Name = name, CampaignArn = arn, SolutionVersionArn = versionArn, MinProvisionedTPS = tps, CampaignConfig = config };
        }, Deploy);
    }

    /// <summary>Deploying is loading the model: a campaign whose model cannot be loaded fails.</summary>
    private Task Deploy(string arn) => context.RunCreation(s => s.Campaigns, arn, _ =>
    {
        var (version, config) = context.Store.Read(s => (s.Campaigns[arn].SolutionVersionArn, s.Campaigns[arn].CampaignConfig));
        CampaignServing.ModelFor(context.Models, version, config);
        return Task.CompletedTask;
    });

    private async Task<JsonObject> UpdateAsync(Request request, CancellationToken cancellationToken)
    {
        var arn = request.Arn("campaignArn");
        var versionArn = request.OptionalArn("solutionVersionArn");
        var tps = request.Int("minProvisionedTPS", min: 1);
        var config = ReadConfig(request);
        context.Store.Write(state =>
        {
            var campaign = PersonalizeContext.Get(state.Campaigns, arn);
            if (campaign.Status is not (Statuses.Active or Statuses.CreateFailed))
                throw PersonalizeException.InUse($"The campaign {arn} is {campaign.Status}; it must be ACTIVE or CREATE FAILED to be updated.");
            if (Statuses.IsCreating(campaign.LatestCampaignUpdate?.Status))
                throw PersonalizeException.InUse($"The campaign {arn} has an update in progress.");
            var newVersion = versionArn ?? campaign.SolutionVersionArn;
            PersonalizeContext.RequireActive(state.SolutionVersions, newVersion, "solution version");
            var now = context.Now;
            campaign.LatestCampaignUpdate = new CampaignUpdate
            {
                SolutionVersionArn = newVersion,
                MinProvisionedTPS = tps ?? campaign.MinProvisionedTPS,
                CampaignConfig = config ?? (JsonObject?)campaign.CampaignConfig?.DeepClone(),
                Status = Statuses.CreatePending, CreationDateTime = now, LastUpdatedDateTime = now,
            };
            campaign.LastUpdatedDateTime = now;
        });
        await RunUpdate(arn);
        return new JsonObject { ["campaignArn"] = arn };
    }

    private Task RunUpdate(string arn) => context.Work.Start(async cancellationToken =>
    {
        try
        {
            await context.Work.Step(cancellationToken);
            SetUpdateStatus(arn, Statuses.CreateInProgress);
            var update = context.Store.Read(s => s.Campaigns.GetValueOrDefault(arn)?.LatestCampaignUpdate);
            if (update is null) return;
            CampaignServing.ModelFor(context.Models, update.SolutionVersionArn, update.CampaignConfig);
            await context.Work.Step(cancellationToken);
            // Only now does the campaign switch: requests until here were served by the previous version.
            context.Store.Write(state =>
            {
                if (!state.Campaigns.TryGetValue(arn, out var campaign) || campaign.LatestCampaignUpdate is not { } latest) return;
                campaign.SolutionVersionArn = latest.SolutionVersionArn;
                campaign.MinProvisionedTPS = latest.MinProvisionedTPS;
                campaign.CampaignConfig = (JsonObject?)latest.CampaignConfig?.DeepClone();
                campaign.Status = Statuses.Active;
                campaign.FailureReason = null;
                latest.Status = Statuses.Active;
                latest.LastUpdatedDateTime = campaign.LastUpdatedDateTime = context.Now;
            });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Resumed on the next start.
        }
        catch (Exception e)
        {
            SetUpdateStatus(arn, Statuses.CreateFailed, e.Message);
        }
    });

    private void SetUpdateStatus(string arn, string status, string? failureReason = null) => context.Store.Write(state =>
    {
        if (state.Campaigns.GetValueOrDefault(arn)?.LatestCampaignUpdate is not { } update) return;
        update.Status = status;
        update.FailureReason = failureReason;
        update.LastUpdatedDateTime = context.Now;
    });

    private JsonObject Describe(Request request) =>
        Describing.Answer(context, s => s.Campaigns, request.Arn("campaignArn"), "campaign");

    private JsonObject List(Request request)
    {
        var solutionArn = request.OptionalArn("solutionArn");
        return Listing.Page(context, request, "campaigns", state => state.Campaigns.Values
                .Where(c => solutionArn is null || state.SolutionVersions.GetValueOrDefault(c.SolutionVersionArn)?.SolutionArn == solutionArn),
            "name", "campaignArn", "status", "creationDateTime", "lastUpdatedDateTime", "failureReason");
    }

    private Task<JsonObject> DeleteAsync(Request request, CancellationToken cancellationToken) =>
        Deleting.StartAsync(context, s => s.Campaigns, request.Arn("campaignArn"), "campaign");

    private static JsonObject? ReadConfig(Request request)
    {
        var config = request.Nested("campaignConfig");
        if (config is null) return null;
        var exploration = config.StringMap("itemExplorationConfig");
        if (exploration?.GetValueOrDefault("explorationWeight") is { } weight
            && (!double.TryParse(weight, System.Globalization.CultureInfo.InvariantCulture, out var w) || w is < 0 or > 1))
            throw PersonalizeException.InvalidInput($"explorationWeight must be a number from 0 to 1, got '{weight}'.");
        config.Bool("enableMetadataWithRecommendations");
        config.Bool("syncWithLatestSolutionVersion");
        return config.Body;
    }
}
