namespace Pipeline.Personalize.Local.Resources;

public sealed class FilterResource : Resource
{
    public override string Arn => FilterArn;

    public required string Name { get; set; }
    public required string FilterArn { get; set; }
    public required string DatasetGroupArn { get; set; }
    public required string FilterExpression { get; set; }
}
