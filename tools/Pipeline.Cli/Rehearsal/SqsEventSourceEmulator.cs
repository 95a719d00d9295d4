using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;
using Pipeline.DeploymentContract;

namespace Pipeline.Cli.Rehearsal;

/// <summary>
/// A fake of what cannot run here: Lambda's SQS event source mapping in front of a function behind the Lambda Web
/// Adapter. It receives up to ten messages from the real (moto) queue, POSTs them as Lambda's SQS event to the
/// function's <c>AWS_LWA_PASS_THROUGH_PATH</c>, and settles the batch as the documentation says:
/// <list type="bullet">
/// <item>Web Adapter: an answer whose status is in <c>AWS_LWA_ERROR_STATUS_CODES</c> fails the invocation; any other
/// answer's body is the function's result (aws/aws-lambda-web-adapter README, "Error Status Codes").</item>
/// <item>Lambda with ReportBatchItemFailures: a failed invocation keeps the whole batch; a null/empty result or an empty
/// <c>batchItemFailures</c> deletes it all; otherwise the listed messages stay and the rest are deleted, and an
/// identifier that is empty or not in the batch fails the whole batch (Lambda developer guide, "Handling errors for an
/// SQS event source in Lambda").</item>
/// </list>
/// A message that stays becomes visible again (what the visibility timeout's expiry does, without waiting 360 s), and
/// the queue's redrive policy moves it to the DLQ once received maxReceiveCount times.
/// </summary>
public sealed class SqsEventSourceEmulator(IAmazonSQS sqs, string queueUrl, string queueArn, Uri function, IReadOnlyDictionary<string, string> environment)
{
    public int Invocations { get; private set; }

    public int FailedInvocations { get; private set; }

    public int Deleted { get; private set; }

    /// <summary>Polls until the queue is empty (every message deleted or moved to the DLQ).</summary>
    public async Task DrainAsync(int maxInvocations = 100, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { BaseAddress = function, Timeout = TimeSpan.FromSeconds(60) };
        var path = environment.GetValueOrDefault(EnvironmentVariables.PassThroughPath, "/events");
        var errorCodes = ParseStatusCodes(environment.GetValueOrDefault(EnvironmentVariables.ErrorStatusCodes));
        while (Invocations < maxInvocations)
        {
            var messages = (await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = queueUrl,
                MaxNumberOfMessages = 10,
                WaitTimeSeconds = 1,
                MessageSystemAttributeNames = ["All"],
            }, cancellationToken)).Messages ?? [];
            if (messages.Count == 0)
            {
                return;
            }
            Invocations++;
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
            using var response = await http.PostAsJsonAsync(path, sqsEvent, cancellationToken);
            var failed = errorCodes.Contains((int)response.StatusCode)
                ? messages.Select(m => m.MessageId).ToHashSet()
                : FailedMessages(await response.Content.ReadAsStringAsync(cancellationToken), messages);
            if (failed.Count == messages.Count)
            {
                FailedInvocations++;
            }
            foreach (var message in messages)
            {
                if (failed.Contains(message.MessageId))
                {
                    await sqs.ChangeMessageVisibilityAsync(queueUrl, message.ReceiptHandle, 0, cancellationToken);
                }
                else
                {
                    await sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle, cancellationToken);
                    Deleted++;
                }
            }
        }
        throw new InvalidOperationException($"the queue was not drained in {maxInvocations} invocations");
    }

    private static HashSet<string> FailedMessages(string result, IReadOnlyList<Message> batch)
    {
        var all = batch.Select(m => m.MessageId).ToHashSet();
        var node = string.IsNullOrWhiteSpace(result) ? null : JsonNode.Parse(result);
        if (node?["batchItemFailures"] is not JsonArray failures)
        {
            return []; // null, empty or no list: a complete success
        }
        var ids = failures.Select(f => (string?)f?["itemIdentifier"]).ToList();
        return ids.Any(id => string.IsNullOrEmpty(id) || !all.Contains(id)) ? all : [.. ids.OfType<string>()];
    }

    /// <summary>"500,502-504" as the Web Adapter reads it.</summary>
    public static HashSet<int> ParseStatusCodes(string? value)
    {
        var codes = new HashSet<int>();
        foreach (var part in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var range = part.Split('-');
            var from = int.Parse(range[0], CultureInfo.InvariantCulture);
            var to = range.Length == 2 ? int.Parse(range[1], CultureInfo.InvariantCulture) : from;
            for (var code = from; code <= to; code++)
            {
                codes.Add(code);
            }
        }
        return codes;
    }
}
