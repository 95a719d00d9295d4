namespace Pipeline.Api.Handlers;

/// <summary>Limits on recorded events, bound from configuration section <c>Events</c> and checked at start.</summary>
public sealed class EventOptions
{
    public const string Section = "Events";

    /// <summary>The largest <c>event_value</c> accepted (a purchase's value); larger is 400 naming the field.</summary>
    public double MaxEventValue { get; set; } = 1_000_000;

    public static EventOptions FromConfiguration(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<EventOptions>() ?? new EventOptions();
        return double.IsFinite(options.MaxEventValue) && options.MaxEventValue > 0
            ? options
            : throw new InvalidConfigurationException($"{Section}:{nameof(MaxEventValue)} must be a positive number, got {options.MaxEventValue}.");
    }
}
