using System.Text.Json.Serialization;

namespace Pipeline.Adapters.Aws.Sqs;

/// <summary>The batch Lambda's SQS event source mapping delivers (the Web Adapter POSTs it as is).</summary>
public sealed record SqsLambdaEvent([property: JsonPropertyName("Records")] IReadOnlyList<SqsLambdaMessage> Records);

/// <summary>One message of the batch; only the fields this project reads.</summary>
public sealed record SqsLambdaMessage(
    [property: JsonPropertyName("messageId")] string MessageId,
    [property: JsonPropertyName("receiptHandle")] string? ReceiptHandle,
    [property: JsonPropertyName("body")] string Body,
    [property: JsonPropertyName("attributes")] IReadOnlyDictionary<string, string>? Attributes = null,
    [property: JsonPropertyName("eventSourceARN")] string? EventSourceArn = null);

/// <summary>
/// The answer that makes Lambda retry only the failed messages (ReportBatchItemFailures): an empty list means
/// the whole batch succeeded and is deleted.
/// </summary>
public sealed record SqsBatchResponse([property: JsonPropertyName("batchItemFailures")] IReadOnlyList<SqsBatchItemFailure> BatchItemFailures);

public sealed record SqsBatchItemFailure([property: JsonPropertyName("itemIdentifier")] string ItemIdentifier);
