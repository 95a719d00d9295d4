namespace Pipeline.Personalize.Local.Resources;

public sealed class EventTrackerResource : Resource
{
    public override string Arn => EventTrackerArn;

    public required string Name { get; set; }
    public required string EventTrackerArn { get; set; }
    public required string AccountId { get; set; }
    public required string TrackingId { get; set; }
    public required string DatasetGroupArn { get; set; }
}
