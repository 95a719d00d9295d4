using Pipeline.Adapters.Aws.Http;

namespace Pipeline.Adapters.Aws.Personalize;

/// <summary>
/// The one control-plane call serving makes, DescribeCampaign (JSON 1.1: <c>POST /</c> with
/// <c>X-Amz-Target: AmazonPersonalize.DescribeCampaign</c>, signed for "personalize"): the runtime API does not say
/// which solution version answered, the campaign's description does.
/// </summary>
public sealed class PersonalizeCampaignClient(HttpClient http)
{
    public const string EndpointPrefix = "personalize";
    public const string SigningName = "personalize";

    public async Task<CampaignDescription?> DescribeCampaignAsync(string campaignArn, CancellationToken cancellationToken = default)
    {
        var response = await AwsJsonCalls.PostAsync(http, "", new DescribeCampaignRequest(campaignArn),
            PersonalizeJsonContext.Default.DescribeCampaignRequest, PersonalizeJsonContext.Default.DescribeCampaignResponse,
            contentType: "application/x-amz-json-1.1", target: "AmazonPersonalize.DescribeCampaign", cancellationToken: cancellationToken);
        return response?.Campaign;
    }
}
