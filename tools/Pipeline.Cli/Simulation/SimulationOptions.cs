namespace Pipeline.Cli.Simulation;

/// <summary>One simulated run: where to send traffic, how much, and whose tastes drive it.</summary>
/// <param name="Users">Shoppers drawn from (the first N of the sample's or the dataset's users).</param>
/// <param name="RequestsPerSecond">Recommendation requests started per second (each followed by one events batch).</param>
/// <param name="Duration">How long requests are started for: the run makes RequestsPerSecond × Duration requests.</param>
public sealed record SimulationOptions(Uri BaseUrl, string? ApiKey, int Users, int RequestsPerSecond, TimeSpan Duration, int Seed, int NumResults = 10)
{
    public const int DefaultUsers = 1000;
    public const int DefaultRequestsPerSecond = 20;
    public const int DefaultDurationSeconds = 60;
    public const int MaxRequestsPerSecond = 1000;
    public const int MaxDurationSeconds = 86_400;

    public int TotalRequests => (int)Math.Round(RequestsPerSecond * Duration.TotalSeconds);

    /// <summary>The one-line problem with the values, or null when they can run.</summary>
    public static string? Check(string url, int users, int rps, int durationSeconds)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return $"--url must be an absolute http(s) URL, got '{url}'.";
        if (users < 1) return $"--users must be at least 1, got {users}.";
        if (rps is < 1 or > MaxRequestsPerSecond) return $"--rps must be between 1 and {MaxRequestsPerSecond}, got {rps}.";
        if (durationSeconds is < 1 or > MaxDurationSeconds) return $"--duration must be between 1 and {MaxDurationSeconds} seconds, got {durationSeconds}.";
        return null;
    }
}
