using Amazon.Runtime;
using Pipeline.Adapters.Aws.Personalize;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Serving;

/// <summary>
/// What serving needs from its host beyond the stores: experiments read through a short cache
/// (<see cref="ServingOptions.RefreshSeconds"/>), and variants with a campaign served by that campaign through the
/// Personalize runtime API. Hosts call it after registering their stores.
/// </summary>
public static class CampaignServing
{
    /// <summary>
    /// The Lambda (Program.cs): on AWS (PIPELINE_MODE=aws) campaigns are asked at the regional endpoints, unless
    /// PIPELINE_PERSONALIZE_RUNTIME_ENDPOINT (and PIPELINE_PERSONALIZE_ENDPOINT for DescribeCampaign; the runtime one when
    /// not set) point elsewhere, e.g. at the local Personalize; outside AWS mode only when that endpoint is set.
    /// </summary>
    public static WebApplicationBuilder AddCampaignServing(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var runtimeEndpoint = configuration[PersonalizeCampaignModels.RuntimeEndpointSetting] is { Length: > 0 } runtime ? runtime : null;
        var controlEndpoint = configuration[PersonalizeCampaignModels.ControlEndpointSetting] is { Length: > 0 } control ? control : runtimeEndpoint;
        builder.Services.AddExperimentsCache();
        if (AwsHosting.IsAwsMode(configuration) || runtimeEndpoint is not null)
        {
            // Region and keys as the host's configuration gives them (the environment on Lambda), like the other clients.
            var clients = new Hosting.AwsClients(configuration);
            builder.Services.AddSingleton<ICampaignModels>(services => PersonalizeCampaignModels.Create(
                services.GetRequiredService<ServingOptions>().RefreshInterval, services.GetRequiredService<TimeProvider>(),
                runtimeEndpoint, controlEndpoint, clients.ConfiguredRegion, clients.Credentials()));
        }
        return builder;
    }

    /// <summary>
    /// The local stack: campaigns asked at the local Personalize service over HTTP on loopback, signed like on AWS
    /// (the local service checks no signature, so static credentials do).
    /// </summary>
    public static WebApplicationBuilder AddCampaignServing(this WebApplicationBuilder builder, Uri localPersonalize, string region)
    {
        builder.Services.AddExperimentsCache();
        builder.Services.AddSingleton<ICampaignModels>(services => PersonalizeCampaignModels.Create(
            services.GetRequiredService<ServingOptions>().RefreshInterval, services.GetRequiredService<TimeProvider>(),
            localPersonalize.ToString(), localPersonalize.ToString(), region, new BasicAWSCredentials("local", "local")));
        return builder;
    }

    /// <summary>Wraps the host's experiment store in <see cref="CachedExperimentStore"/> (writes go through it, so they show at once).</summary>
    public static IServiceCollection AddExperimentsCache(this IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IExperimentStore))
            ?? throw new InvalidOperationException("Register the experiment store before the serving cache.");
        services.Remove(registered);
        services.AddSingleton<IExperimentStore>(provider => new CachedExperimentStore(Inner(provider, registered),
            provider.GetRequiredService<ServingOptions>().RefreshInterval, provider.GetRequiredService<TimeProvider>()));
        return services;
    }

    private static IExperimentStore Inner(IServiceProvider provider, ServiceDescriptor registered) =>
        (IExperimentStore)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!));
}
