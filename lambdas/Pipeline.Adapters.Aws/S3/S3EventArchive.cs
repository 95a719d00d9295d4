using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Pipeline.Adapters.Aws.Sqs;
using Pipeline.DeploymentContract;
using Pipeline.Domain.Events;
using Pipeline.Domain.Storage;

namespace Pipeline.Adapters.Aws.S3;

/// <summary>
/// Archives each batch of consumed events as one CSV object in the columns of Personalize's interactions schema
/// (<see cref="Header"/>, the columns <c>pipeline data generate</c> writes), so an hour's folder can be imported as it
/// is: <c>CreateDatasetImportJob</c> with <c>s3://bucket/events/yyyy/MM/dd/HH/</c> reads every CSV file of that folder
/// (import jobs do not read sub-folders, hence one folder per hour rather than one per day with nested batches).
/// The key is derived from the batch's event ids, so a redelivered identical batch overwrites its own object; a row
/// written twice by different batches has the same timestamp and values, which Personalize keeps only once on import.
/// </summary>
public sealed class S3EventArchive(IAmazonS3 s3, string bucket, string prefix = S3EventArchive.DefaultPrefix) : IEventBatchStep
{
    /// <summary>The prefix the infra lets the consumer write and Personalize read (<see cref="DataBucketPrefixes.Events"/>).</summary>
    public const string DefaultPrefix = DataBucketPrefixes.Events;
    public const string Header = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE";

    public string Name => "archive";

    public async Task<EventStepResult> HandleAsync(IReadOnlyList<InteractionEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return EventStepResult.Success;
        }
        try
        {
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket,
                Key = KeyFor(events, prefix),
                ContentBody = ToCsv(events),
                ContentType = "text/csv",
            }, cancellationToken);
            return EventStepResult.Success;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return EventStepResult.AllFailed(events, e);
        }
    }

    /// <summary><c>{prefix}yyyy/MM/dd/HH/{batch id}.csv</c>: the hour of the earliest event (UTC), the id a hash of the event ids.</summary>
    public static string KeyFor(IReadOnlyCollection<InteractionEvent> events, string prefix = DefaultPrefix)
    {
        var hour = events.Min(e => e.Timestamp).ToUniversalTime();
        var ids = string.Join('\n', events.Select(e => e.EventId).Order(StringComparer.Ordinal));
        var batchId = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ids)))[..32];
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}{hour:yyyy'/'MM'/'dd'/'HH}/{batchId}.csv");
    }

    public static string ToCsv(IEnumerable<InteractionEvent> events)
    {
        var csv = new StringBuilder(Header).Append('\n');
        foreach (var e in events.OrderBy(e => e.Timestamp).ThenBy(e => e.EventId, StringComparer.Ordinal))
        {
            csv.Append(CsvField.Escape(e.UserId)).Append(',')
                .Append(CsvField.Escape(e.ItemId)).Append(',')
                // Personalize's TIMESTAMP is epoch seconds.
                .Append(e.Timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(CsvField.Escape(e.EventType)).Append(',')
                .Append(e.EventValue?.ToString("R", CultureInfo.InvariantCulture) ?? "")
                .Append('\n');
        }
        return csv.ToString();
    }
}
