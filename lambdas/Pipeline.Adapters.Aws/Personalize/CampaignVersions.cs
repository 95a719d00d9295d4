using System.Collections.Concurrent;

namespace Pipeline.Adapters.Aws.Personalize;

/// <summary>
/// Which solution version each campaign serves, from DescribeCampaign, read again once it is older than the refresh
/// interval. Only a campaign's first request waits for the description (concurrently with its runtime call); later
/// ones get the known version while a refresh runs in the background, so an UpdateCampaign shows within the interval
/// plus one request. A failed description (no permission, service down) leaves the version unknown, never a failure.
/// </summary>
public sealed class CampaignVersions(PersonalizeCampaignClient client, TimeSpan refreshInterval, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Task<Known>> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _refreshing = new(StringComparer.Ordinal);

    public ValueTask<string?> FindAsync(string campaignArn, CancellationToken cancellationToken)
    {
        var known = _known.GetOrAdd(campaignArn, DescribeAsync);
        if (!known.IsCompleted)
        {
            return new ValueTask<string?>(VersionOfAsync(known, cancellationToken));
        }
        var current = known.Result;
        if (time.GetElapsedTime(current.ReadAt) >= refreshInterval)
        {
            _refreshing.GetOrAdd(campaignArn, arn => RefreshAsync(arn));
        }
        return new ValueTask<string?>(current.Version);
    }

    private static async Task<string?> VersionOfAsync(Task<Known> known, CancellationToken cancellationToken) =>
        (await known.WaitAsync(cancellationToken)).Version;

    private async Task RefreshAsync(string campaignArn)
    {
        try
        {
            var fresh = await DescribeAsync(campaignArn);
            // A failed refresh keeps the version known before (it is stamped, so it is not retried on every request).
            _known[campaignArn] = Task.FromResult(fresh.Version is null && _known.TryGetValue(campaignArn, out var before) && before.IsCompleted
                ? before.Result with { ReadAt = fresh.ReadAt }
                : fresh);
        }
        finally
        {
            _refreshing.TryRemove(campaignArn, out _);
        }
    }

    private async Task<Known> DescribeAsync(string campaignArn)
    {
        var readAt = time.GetTimestamp();
        try
        {
            var campaign = await client.DescribeCampaignAsync(campaignArn);
            return new Known(campaign?.SolutionVersionArn, readAt);
        }
        catch (Exception)
        {
            return new Known(null, readAt);
        }
    }

    private sealed record Known(string? Version, long ReadAt);
}
