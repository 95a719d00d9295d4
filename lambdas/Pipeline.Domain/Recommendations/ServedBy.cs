namespace Pipeline.Domain.Recommendations;

/// <summary>Says which link of the fallback chain answered, so every fallback is visible to clients and analysis.</summary>
public static class ServedBy
{
    public const string Primary = "primary";

    public static string Fallback(string reason) => "fallback:" + reason;

    public const string NotTrained = "not-trained";
    public const string ModelError = "model-error";
    public const string Timeout = "timeout";
    public const string NoItem = "no-item";

    /// <summary>The campaign refused the request for its rate (Personalize's ThrottlingException, HTTP 429).</summary>
    public const string Throttled = "throttled";

    /// <summary>The variant names a campaign Personalize does not know (or that is not ACTIVE).</summary>
    public const string UnknownCampaign = "unknown-campaign";

    /// <summary>Every model in the chain failed: the last list a fallback served is repeated.</summary>
    public const string LastGood = "last-good";
}
