using System.Text;
using Pipeline.DeploymentContract;
using Pipeline.Engine.Randomness;

namespace Pipeline.Engine.Datasets;

/// <summary>
/// Writes a Personalize-shaped dataset (interactions, items, users and their schemas) with signal a recommender
/// can learn: Zipf item popularity, users with tastes for a few categories (which lean on their age group),
/// sessions of events close in time, and a view → click → purchase funnel whose purchases are worth the item's price.
/// The same options give the same bytes: every draw comes from <see cref="DeterministicRandom"/> and time ends at a fixed date.
/// </summary>
public static class SyntheticDataGenerator
{
    /// <summary>The last moment of the data; fixed so that output does not depend on when it is generated.</summary>
    public static readonly DateTimeOffset End = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far back the interactions go: eight weeks, enough for weekly patterns and time-based holdouts.</summary>
    public static readonly TimeSpan Span = TimeSpan.FromDays(56);

    private const double MeanEventsPerSession = 6;
    private const double FavouriteCategoryShare = 0.85;
    internal const double ClickRateInTaste = 0.13;
    internal const double ClickRateOutsideTaste = 0.04;
    internal const double PurchaseRatePerClick = 0.15;
    internal const double PurchaseRatePerClickPremium = 0.25;
    private const double PremiumShare = 0.2;

    private static readonly string[] AgeGroups = ["18-24", "25-34", "35-44", "45-54", "55+"];
    private static readonly byte[][] AgeGroupBytes = [.. AgeGroups.Select(Encoding.ASCII.GetBytes)];
    private static readonly double[] AgeGroupCumulative = [0.18, 0.48, 0.72, 0.89, 1.0];

    private static readonly byte[] ViewBytes = "view"u8.ToArray();
    private static readonly byte[] ClickBytes = "click"u8.ToArray();
    private static readonly byte[] PurchaseBytes = "purchase"u8.ToArray();

    private const byte View = 0, Click = 1, Purchase = 2;

    public static SyntheticDataSummary Generate(
        SyntheticDataOptions options,
        string outputDirectory,
        IProgress<long>? interactionsWritten = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Directory.CreateDirectory(outputDirectory);

        var endEpoch = End.ToUnixTimeSeconds();
        var startEpoch = endEpoch - (long)Span.TotalSeconds;
        var catalog = new SyntheticCatalog(options.Items, options.Seed, createdBefore: startEpoch);
        var tasteOrderByAgeGroup = BuildTasteOrders(catalog.CategoryCount, options.Seed);
        var interactionsPerUser = AllocateInteractions(options);

        var paths = (
            Interactions: Path.Combine(outputDirectory, DatasetFiles.Interactions),
            Items: Path.Combine(outputDirectory, DatasetFiles.Items),
            Users: Path.Combine(outputDirectory, DatasetFiles.Users));

        WriteItems(paths.Items, catalog);
        File.WriteAllText(Path.Combine(outputDirectory, DatasetFiles.InteractionsSchema), PersonalizeSchemas.Interactions + "\n");
        File.WriteAllText(Path.Combine(outputDirectory, DatasetFiles.ItemsSchema), PersonalizeSchemas.Items + "\n");
        File.WriteAllText(Path.Combine(outputDirectory, DatasetFiles.UsersSchema), PersonalizeSchemas.Users + "\n");

        var counts = new FunnelCounts { First = long.MaxValue, Last = long.MinValue };
        using (var interactionsFile = OpenForWrite(paths.Interactions))
        using (var usersFile = OpenForWrite(paths.Users))
        using (var interactions = new Utf8CsvWriter(interactionsFile, 4 << 20))
        using (var users = new Utf8CsvWriter(usersFile))
        {
            interactions.Write("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n"u8);
            users.Write("USER_ID,AGE_GROUP,MEMBERSHIP\n"u8);
            var buffer = new UserEvents(interactionsPerUser.Max());
            var userIdWidth = IdFormat.Width(options.Users);
            var userIdBytes = new byte[userIdWidth + 5];
            long reported = 0;
            for (var u = 0; u < options.Users; u++)
            {
                if ((u & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
                WriteUserId(userIdBytes, u + 1, userIdWidth);
                var rng = ProfileRandom(options.Seed, u);
                var profile = DrawProfile(ref rng, catalog.CategoryCount, tasteOrderByAgeGroup);

                users.Write(userIdBytes);
                users.WriteByte((byte)',');
                users.Write(AgeGroupBytes[profile.AgeGroup]);
                users.Write(profile.Premium ? ",premium\n"u8 : ",standard\n"u8);

                buffer.Clear();
                SimulateEvents(ref rng, catalog, profile, interactionsPerUser[u], buffer);
                AssignTimestamps(ref rng, buffer, startEpoch, endEpoch);
                WriteEvents(interactions, userIdBytes, catalog, buffer, ref counts);

                if (interactionsWritten is not null && counts.Total - reported >= 250_000)
                {
                    reported = counts.Total;
                    interactionsWritten.Report(reported);
                }
            }
        }
        interactionsWritten?.Report(counts.Total);

        return new SyntheticDataSummary(
            options.Users, options.Items, counts.Total, counts.Views, counts.Clicks, counts.Purchases,
            DateTimeOffset.FromUnixTimeSeconds(counts.First), DateTimeOffset.FromUnixTimeSeconds(counts.Last),
            paths.Interactions, paths.Items, paths.Users);
    }

    private static FileStream OpenForWrite(string path) =>
        new(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.SequentialScan);

    /// <summary>The draws of user <paramref name="zeroBasedUser"/>: the profile comes first, then its events.</summary>
    internal static DeterministicRandom ProfileRandom(int seed, int zeroBasedUser) =>
        DeterministicRandom.ForStream(seed, stream: 3, substream: (ulong)zeroBasedUser);

    /// <summary>Each age group ranks the categories its own way, so user metadata predicts taste.</summary>
    internal static int[][] BuildTasteOrders(int categoryCount, int seed)
    {
        var rng = DeterministicRandom.ForStream(seed, stream: 2);
        var orders = new int[AgeGroups.Length][];
        for (var g = 0; g < orders.Length; g++)
        {
            orders[g] = Enumerable.Range(0, categoryCount).ToArray();
            rng.Shuffle(orders[g].AsSpan());
        }
        return orders;
    }

    /// <summary>
    /// Every user gets one interaction, and the rest are shared by a log-normal activity level: a few heavy
    /// users, a long tail of light ones, as in real logs. The remainder of the rounding goes round-robin.
    /// </summary>
    private static int[] AllocateInteractions(SyntheticDataOptions options)
    {
        var rng = DeterministicRandom.ForStream(options.Seed, stream: 4);
        var weights = new double[options.Users];
        var total = 0.0;
        for (var u = 0; u < weights.Length; u++)
        {
            weights[u] = Math.Exp(1.0 * rng.NextGaussian());
            total += weights[u];
        }
        var extra = (long)options.Interactions - options.Users;
        var counts = new int[options.Users];
        long assigned = 0;
        for (var u = 0; u < counts.Length; u++)
        {
            var share = (long)Math.Floor(extra * (weights[u] / total));
            counts[u] = 1 + (int)share;
            assigned += counts[u];
        }
        var leftover = options.Interactions - assigned;
        var next = rng.NextInt(options.Users);
        for (long k = 0; k < leftover; k++)
        {
            counts[next]++;
            next = (next + 1) % options.Users;
        }
        return counts;
    }

    internal static UserProfile DrawProfile(ref DeterministicRandom rng, int categoryCount, int[][] tasteOrderByAgeGroup)
    {
        var draw = rng.NextDouble();
        var ageGroup = 0;
        while (AgeGroupCumulative[ageGroup] <= draw) ageGroup++;
        var premium = rng.NextBool(PremiumShare);

        // One to three favourite categories, drawn without replacement, leaning to the age group's order.
        var order = tasteOrderByAgeGroup[ageGroup];
        var tasteCount = 1 + rng.NextInt(Math.Min(3, categoryCount));
        var tastes = new int[tasteCount];
        var tasteCumulative = new double[tasteCount];
        Span<bool> taken = stackalloc bool[categoryCount];
        var running = 0.0;
        for (var t = 0; t < tasteCount; t++)
        {
            var total = 0.0;
            for (var k = 0; k < categoryCount; k++) if (!taken[k]) total += AffinityAt(k);
            var target = rng.NextDouble() * total;
            var chosen = -1;
            for (var k = 0; k < categoryCount; k++)
            {
                if (taken[k]) continue;
                chosen = k;
                target -= AffinityAt(k);
                if (target < 0) break;
            }
            taken[chosen] = true;
            tastes[t] = order[chosen];
            running += 1.0 / (t + 1);
            tasteCumulative[t] = running;
        }
        return new UserProfile(ageGroup, premium, tastes, tasteCumulative);

        static double AffinityAt(int position) => 1.0 / Math.Pow(position + 1, 0.8);
    }

    /// <summary>Fills the user's budget of events, session by session, with the funnel; times come later.</summary>
    private static void SimulateEvents(ref DeterministicRandom rng, SyntheticCatalog catalog, UserProfile profile, int budget, UserEvents events)
    {
        var purchaseRate = profile.Premium ? PurchaseRatePerClickPremium : PurchaseRatePerClick;
        var remainingInSession = 0;
        while (events.Count < budget)
        {
            var newSession = remainingInSession <= 0;
            if (newSession) remainingInSession = 1 + rng.NextGeometric(1.0 / MeanEventsPerSession);

            int item;
            bool inTaste;
            if (rng.NextBool(FavouriteCategoryShare))
            {
                var target = rng.NextDouble() * profile.TasteCumulative[^1];
                var t = 0;
                while (profile.TasteCumulative[t] <= target && t < profile.Tastes.Length - 1) t++;
                item = catalog.DrawFromCategory(profile.Tastes[t], ref rng);
                inTaste = true;
            }
            else
            {
                item = catalog.DrawAny(ref rng);
                inTaste = Array.IndexOf(profile.Tastes, catalog.CategoryOf[item]) >= 0;
            }

            events.Add(item, View, 0, newSession, secondsAfterPrevious: 15 + (long)rng.NextExponential(60));
            remainingInSession--;
            if (events.Count < budget && rng.NextBool(inTaste ? ClickRateInTaste : ClickRateOutsideTaste))
            {
                events.Add(item, Click, 0, false, secondsAfterPrevious: 2 + (long)rng.NextExponential(8));
                remainingInSession--;
                if (events.Count < budget && rng.NextBool(purchaseRate))
                {
                    var quantity = rng.NextDouble() switch { < 0.85 => 1, < 0.97 => 2, _ => 3 };
                    events.Add(item, Purchase, catalog.PriceCents[item] * quantity, false, secondsAfterPrevious: 20 + (long)rng.NextExponential(90));
                    remainingInSession--;
                }
            }
        }
    }

    /// <summary>
    /// Spreads the user's sessions over the window in order (sorted uniform starts from exponential spacings)
    /// and lays each session's events after its start; a session never starts before the previous one ended.
    /// </summary>
    private static void AssignTimestamps(ref DeterministicRandom rng, UserEvents events, long startEpoch, long endEpoch)
    {
        const long ReserveForLastSession = 3 * 3600;
        const long MinimumGapBetweenSessions = 600;
        var sessions = events.SessionCount;
        var spacings = events.SessionStarts;
        var total = 0.0;
        for (var s = 0; s <= sessions; s++)
        {
            total += rng.NextExponential(1.0);
            spacings[s] = total;
        }
        var usable = endEpoch - ReserveForLastSession - startEpoch;
        var session = -1;
        var time = long.MinValue;
        for (var i = 0; i < events.Count; i++)
        {
            if (events.StartsSession[i])
            {
                session++;
                var start = startEpoch + (long)(spacings[session] / total * usable);
                time = time == long.MinValue ? start : Math.Max(start, time + MinimumGapBetweenSessions);
            }
            else
            {
                time += events.SecondsAfterPrevious[i];
            }
            events.Timestamps[i] = Math.Min(time, endEpoch - 1);
        }
    }

    private static void WriteEvents(Utf8CsvWriter writer, byte[] userId, SyntheticCatalog catalog, UserEvents events, ref FunnelCounts counts)
    {
        for (var i = 0; i < events.Count; i++)
        {
            writer.Write(userId);
            writer.WriteByte((byte)',');
            writer.Write(catalog.ItemIdBytes[events.Items[i]]);
            writer.WriteByte((byte)',');
            var timestamp = events.Timestamps[i];
            writer.WriteInt64(timestamp);
            writer.WriteByte((byte)',');
            switch (events.Types[i])
            {
                case View:
                    writer.Write(ViewBytes);
                    writer.WriteByte((byte)',');
                    counts.Views++;
                    break;
                case Click:
                    writer.Write(ClickBytes);
                    writer.WriteByte((byte)',');
                    counts.Clicks++;
                    break;
                default:
                    writer.Write(PurchaseBytes);
                    writer.WriteByte((byte)',');
                    writer.WriteCents(events.ValueCents[i]);
                    counts.Purchases++;
                    break;
            }
            writer.WriteByte((byte)'\n');
            if (timestamp < counts.First) counts.First = timestamp;
            if (timestamp > counts.Last) counts.Last = timestamp;
        }
    }

    private static void WriteItems(string path, SyntheticCatalog catalog)
    {
        using var file = OpenForWrite(path);
        using var writer = new Utf8CsvWriter(file);
        writer.Write("ITEM_ID,CATEGORY,PRICE,CREATION_TIMESTAMP\n"u8);
        var categoryBytes = Enumerable.Range(0, catalog.CategoryCount).Select(c => Encoding.ASCII.GetBytes(SyntheticCatalog.CategoryName(c))).ToArray();
        for (var i = 0; i < catalog.ItemCount; i++)
        {
            writer.Write(catalog.ItemIdBytes[i]);
            writer.WriteByte((byte)',');
            writer.Write(categoryBytes[catalog.CategoryOf[i]]);
            writer.WriteByte((byte)',');
            writer.WriteCents(catalog.PriceCents[i]);
            writer.WriteByte((byte)',');
            writer.WriteInt64(catalog.CreatedAt[i]);
            writer.WriteByte((byte)'\n');
        }
    }

    private static void WriteUserId(byte[] destination, int oneBasedNumber, int width)
    {
        "user_"u8.CopyTo(destination);
        for (int position = destination.Length - 1, n = oneBasedNumber; position >= 5; position--, n /= 10)
            destination[position] = (byte)('0' + n % 10);
    }

    internal sealed record UserProfile(int AgeGroup, bool Premium, int[] Tastes, double[] TasteCumulative);

    private struct FunnelCounts
    {
        public long Views, Clicks, Purchases, First, Last;
        public readonly long Total => Views + Clicks + Purchases;
    }

    /// <summary>One user's events before they are written; reused across users to avoid allocations.</summary>
    private sealed class UserEvents(int capacity)
    {
        public readonly int[] Items = new int[capacity];
        public readonly byte[] Types = new byte[capacity];
        public readonly long[] ValueCents = new long[capacity];
        public readonly bool[] StartsSession = new bool[capacity];
        public readonly long[] SecondsAfterPrevious = new long[capacity];
        public readonly long[] Timestamps = new long[capacity];
        public readonly double[] SessionStarts = new double[capacity + 1];
        public int Count;
        public int SessionCount;

        public void Clear() => Count = SessionCount = 0;

        public void Add(int item, byte type, long valueCents, bool startsSession, long secondsAfterPrevious)
        {
            Items[Count] = item;
            Types[Count] = type;
            ValueCents[Count] = valueCents;
            StartsSession[Count] = startsSession;
            SecondsAfterPrevious[Count] = secondsAfterPrevious;
            if (startsSession) SessionCount++;
            Count++;
        }
    }
}
