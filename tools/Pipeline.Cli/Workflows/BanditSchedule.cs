using System.Globalization;
using Pipeline.Domain.Experiments.Bandits;

namespace Pipeline.Cli.Workflows;

/// <summary>
/// `pipeline up`'s bandit scheduler: every second it runs the due updates of running bandit experiments (the same
/// <see cref="BanditUpdater"/> the API's POST /experiments/bandits/update runs), through the API's own experiment store,
/// so the next request is bucketed with the new weights. A period therefore lasts at least one second here.
/// </summary>
public sealed class BanditSchedule(BanditUpdater updater, TimeProvider time, TextWriter output)
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    foreach (var experiment in await updater.UpdateDueAsync(cancellationToken))
                    {
                        var weights = string.Join(", ", experiment.Variants.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Key} {v.Weight:0.####}")));
                        await output.WriteLineAsync($"Bandit '{experiment.Key}' period {experiment.WeightHistory[^1].Number}: {weights}");
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A failed update leaves the weights as they were; the next tick tries again.
                    await output.WriteLineAsync($"Bandit update failed: {e.Message}");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
