namespace Pipeline.Domain.Events;

/// <summary>The event types of the funnel; Personalize takes any string, the product uses these.</summary>
public static class EventTypes
{
    public const string View = "view";
    public const string Click = "click";
    public const string Purchase = "purchase";

    public static IReadOnlyList<string> All { get; } = [View, Click, Purchase];

    public static bool IsKnown(string eventType) => All.Contains(eventType, StringComparer.Ordinal);
}
