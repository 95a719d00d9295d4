using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Serving;

/// <summary>Binds configuration section <c>Serving</c> and checks at start what a request could not survive.</summary>
public static class ServingConfiguration
{
    public static ServingOptions FromConfiguration(IConfiguration configuration)
    {
        var options = configuration.GetSection(ServingOptions.Section).Get<ServingOptions>() ?? new ServingOptions();
        return options.MaxRealtimeUsers >= 2
            ? options
            : throw new InvalidConfigurationException(
                $"{ServingOptions.Section}:{nameof(ServingOptions.MaxRealtimeUsers)} must be at least 2, got {options.MaxRealtimeUsers}.");
    }
}
