namespace Pipeline.Workflows;

/// <summary>Each service's throttling errors as Step Functions names them in a Task state's Retry.</summary>
public static class ThrottlingErrors
{
    public static string[] Personalize => PersonalizeErrors.Throttling;

    /// <summary>DynamoDB's optimized integration (DynamoDB.{exception}): the table's throughput and the account's request rate.</summary>
    public static readonly string[] DynamoDb =
    [
        "DynamoDB.ProvisionedThroughputExceededException",
        "DynamoDB.ThrottlingException",
        "DynamoDB.RequestLimitExceeded",
    ];

    /// <summary>
    /// EventBridge's optimized PutEvents: a rejected entry (ThrottlingException and InternalFailure are the retryable
    /// entry codes) fails the task with EventBridge.FailedEntry; a throttled call with EventBridge.ThrottlingException.
    /// </summary>
    public static readonly string[] EventBridge =
    [
        "EventBridge.FailedEntry",
        "EventBridge.ThrottlingException",
    ];

    /// <summary>Step Functions' own API through the AWS SDK integration (Sfn.{exception}).</summary>
    public static readonly string[] StepFunctions = ["Sfn.ThrottlingException"];
}
