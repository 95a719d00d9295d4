using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Json;
using Pipeline.Personalize.Local.Resources;

namespace Pipeline.Personalize.Local.ControlPlane;

/// <summary>Event trackers: a UUID trackingId that PutEvents names; one tracker per dataset group.</summary>
internal sealed class EventTrackerOperations(PersonalizeContext context)
{
    public void Register(OperationTable operations) =>
        operations.AddResource("EventTracker", CreateAsync, Describe, List, DeleteAsync);

    public void Resume() => context.Resume(s => s.EventTrackers);

    private async Task<JsonObject> CreateAsync(Request request, CancellationToken cancellationToken)
    {
        var name = request.Name();
        var groupArn = request.Arn("datasetGroupArn");
        var arn = context.Arns.EventTracker(name);
        var trackingId = Guid.NewGuid().ToString();
        var response = await Creating.StartAsync(context, s => s.EventTrackers, arn, "eventTrackerArn", state =>
        {
            PersonalizeContext.RequireActive(state.DatasetGroups, groupArn, "dataset group");
            if (state.EventTrackers.Values.FirstOrDefault(t => t.DatasetGroupArn == groupArn) is { } existing)
                throw new PersonalizeException(ErrorTypes.ResourceAlreadyExists, $"The dataset group {groupArn} already has the event tracker {existing.EventTrackerArn}; a dataset group has at most one.");
            return new EventTrackerResource
            {
                Name = name, EventTrackerArn = arn, AccountId = context.Options.AccountId, TrackingId = trackingId, DatasetGroupArn = groupArn,
            };
        });
        response["trackingId"] = trackingId;
        return response;
    }

    private JsonObject Describe(Request request) =>
        Describing.Answer(context, s => s.EventTrackers, request.Arn("eventTrackerArn"), "eventTracker");

    private JsonObject List(Request request) =>
        Listing.PageByDatasetGroup(context, request, "eventTrackers", state => state.EventTrackers.Values, t => t.DatasetGroupArn,
            "name", "eventTrackerArn", "status", "creationDateTime", "lastUpdatedDateTime");

    private Task<JsonObject> DeleteAsync(Request request, CancellationToken cancellationToken) =>
        Deleting.StartAsync(context, s => s.EventTrackers, request.Arn("eventTrackerArn"), "event tracker");
}
