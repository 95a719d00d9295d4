using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace Pipeline.Cli.Rehearsal;

/// <summary>
/// What cannot run here: Lambda's SQS event source mapping in front of the consumer function. It receives up to ten
/// messages from the (moto) queue, POSTs them as Lambda's SQS event to the function's pass-through path, and settles
/// the batch as Lambda does with ReportBatchItemFailures: a status in <c>AWS_LWA_ERROR_STATUS_CODES</c> (500-599) keeps
/// the whole batch, otherwise the listed <c>batchItemFailures</c> stay and the rest are deleted.
/// </summary>
public sealed class SqsEventSource(IAmazonSQS sqs, string queueUrl, string queueArn, Uri function, string passThroughPath)
{
    public int Delivered { get; private set; }

    public int Failed { get; private set; }

    /// <summary>Delivers until the queue answers empty; a failed message is made visible again (the visibility timeout's expiry).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken, int maxInvocations = 20)
    {
        using var http = new HttpClient { BaseAddress = function, Timeout = TimeSpan.FromSeconds(60) };
        for (var invocation = 0; invocation < maxInvocations; invocation++)
        {
            var messages = (await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = queueUrl,
                MaxNumberOfMessages = 10,
                WaitTimeSeconds = 1,
                MessageSystemAttributeNames = ["All"],
            }, cancellationToken)).Messages ?? [];
            if (messages.Count == 0) return;
            var sqsEvent = new JsonObject
            {
                ["Records"] = new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject
                {
                    ["messageId"] = m.MessageId,
                    ["receiptHandle"] = m.ReceiptHandle,
                    ["body"] = m.Body,
                    ["attributes"] = new JsonObject((m.Attributes ?? []).Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))),
                    ["eventSource"] = "aws:sqs",
                    ["eventSourceARN"] = queueArn,
                })]),
            };
            using var response = await http.PostAsJsonAsync(passThroughPath, sqsEvent, cancellationToken);
            var failed = (int)response.StatusCode >= 500
                ? [.. messages.Select(m => m.MessageId)]
                : FailedMessages(await response.Content.ReadAsStringAsync(cancellationToken));
            foreach (var message in messages)
            {
                if (failed.Contains(message.MessageId))
                {
                    Failed++;
                    await sqs.ChangeMessageVisibilityAsync(queueUrl, message.ReceiptHandle, 0, cancellationToken);
                }
                else
                {
                    Delivered++;
                    await sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle, cancellationToken);
                }
            }
        }
    }

    private static HashSet<string> FailedMessages(string result) =>
        (string.IsNullOrWhiteSpace(result) ? null : JsonNode.Parse(result))?["batchItemFailures"] is JsonArray failures
            ? [.. failures.Select(f => (string?)f?["itemIdentifier"]).OfType<string>()]
            : [];
}
