namespace Pipeline.Workflows;

/// <summary>Error names the Step Functions aws-sdk integration raises for Personalize, as workflow states match them.</summary>
public static class PersonalizeErrors
{
    /// <summary>Too many requests or jobs: worth retrying with backoff and jitter.</summary>
    public static readonly string[] Throttling =
    [
        "Personalize.LimitExceededException",
        "Personalize.ThrottlingException",
        "Personalize.TooManyRequestsException",
    ];

    /// <summary>The resource does not exist (for a deletion: it is gone).</summary>
    public const string ResourceNotFound = "Personalize.ResourceNotFoundException";
}
