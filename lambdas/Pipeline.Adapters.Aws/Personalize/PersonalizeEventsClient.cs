using Pipeline.Adapters.Aws.Http;
using Pipeline.Adapters.Aws.Signing;

namespace Pipeline.Adapters.Aws.Personalize;

/// <summary>Personalize events (<c>POST /events</c>, REST-JSON, signed for "personalize"): real-time interactions for a tracker.</summary>
public sealed class PersonalizeEventsClient(HttpClient http)
{
    public const string EndpointPrefix = "personalize-events";
    public const string SigningName = "personalize";

    /// <summary>Overrides the events endpoint (<c>https://personalize-events.{region}.amazonaws.com</c>), e.g. for `pipeline rehearse aws`; the infra never sets it.</summary>
    public const string EndpointSetting = "PIPELINE_PERSONALIZE_EVENTS_ENDPOINT";

    /// <summary>PutEvents takes at most this many events per call.</summary>
    public const int MaxEventsPerCall = 10;

    public static PersonalizeEventsClient Create(string? endpointUrl = null, string? region = null) =>
        new(AwsServiceEndpoint.Resolve(EndpointPrefix, SigningName, endpointUrl, region).CreateHttpClient());

    public async Task PutEventsAsync(PutEventsRequest request, CancellationToken cancellationToken = default)
    {
        if (request.EventList.Count is 0 or > MaxEventsPerCall)
        {
            throw new ArgumentException($"PutEvents takes 1 to {MaxEventsPerCall} events, not {request.EventList.Count}.", nameof(request));
        }
        await AwsJsonCalls.PostAsync<PutEventsRequest, Empty>(http, "events", request, PersonalizeJsonContext.Default.PutEventsRequest,
            responseType: null, cancellationToken: cancellationToken);
    }
}
