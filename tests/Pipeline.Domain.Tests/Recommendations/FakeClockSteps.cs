using Microsoft.Extensions.Time.Testing;

namespace Pipeline.Domain.Tests.Recommendations;

internal static class FakeClockSteps
{
    /// <summary>
    /// Moves the fake clock a millisecond at a time until <paramref name="pending"/> completes, yielding between steps
    /// so that each model call a chain makes on another thread has started its timer before the clock passes it.
    /// </summary>
    public static async Task<T> RunUntilDone<T>(this FakeTimeProvider time, Task<T> pending)
    {
        for (var step = 0; step < 1000 && !pending.IsCompleted; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            await Task.Delay(1);
        }
        return await pending.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
