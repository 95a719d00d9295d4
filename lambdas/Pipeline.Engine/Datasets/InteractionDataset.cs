using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Pipeline.Engine.Datasets;

/// <summary>
/// Interactions held column-wise: user and item ids interned once and referred to by index, and one array per
/// column, so millions of rows take tens of bytes each and training loops scan plain arrays.
/// </summary>
public sealed class InteractionDataset
{
    private readonly string[] _userIds;
    private readonly string[] _itemIds;
    private readonly string[] _eventTypes;
    private readonly int[] _users;
    private readonly int[] _items;
    private readonly long[] _timestamps;
    private readonly byte[] _eventTypeCodes;
    private readonly float[] _eventValues;
    private Dictionary<string, int>? _userLookup;
    private Dictionary<string, int>? _itemLookup;

    internal InteractionDataset(
        string[] userIds, string[] itemIds, string[] eventTypes,
        int[] users, int[] items, long[] timestamps, byte[] eventTypeCodes, float[] eventValues,
        int count, string? sourceSha256)
    {
        _userIds = userIds;
        _itemIds = itemIds;
        _eventTypes = eventTypes;
        _users = users;
        _items = items;
        _timestamps = timestamps;
        _eventTypeCodes = eventTypeCodes;
        _eventValues = eventValues;
        Count = count;
        SourceSha256 = sourceSha256;
    }

    /// <summary>Number of interaction rows.</summary>
    public int Count { get; }

    /// <summary>SHA-256 (hex) of the file the rows were read from, when they were read from one.</summary>
    public string? SourceSha256 { get; }

    public IReadOnlyList<string> UserIds => _userIds;
    public IReadOnlyList<string> ItemIds => _itemIds;

    /// <summary>Event type names by code; an empty name stands for rows without an event type.</summary>
    public IReadOnlyList<string> EventTypes => _eventTypes;

    public ReadOnlySpan<int> UserIndex => _users.AsSpan(0, Count);
    public ReadOnlySpan<int> ItemIndex => _items.AsSpan(0, Count);

    /// <summary>Epoch seconds.</summary>
    public ReadOnlySpan<long> Timestamps => _timestamps.AsSpan(0, Count);
    public ReadOnlySpan<byte> EventTypeCodes => _eventTypeCodes.AsSpan(0, Count);

    /// <summary>EVENT_VALUE per row; NaN where the row has none.</summary>
    public ReadOnlySpan<float> EventValues => _eventValues.AsSpan(0, Count);

    /// <summary>The code of an event type, or -1 when no row has it.</summary>
    public int EventTypeCode(string eventType) => Array.IndexOf(_eventTypes, eventType);

    public int FindUser(string userId) =>
        (_userLookup ??= BuildLookup(_userIds)).TryGetValue(userId, out var index) ? index : -1;

    public int FindItem(string itemId) =>
        (_itemLookup ??= BuildLookup(_itemIds)).TryGetValue(itemId, out var index) ? index : -1;

    /// <summary>The given rows (in the given order) as a dataset sharing this one's id tables.</summary>
    public InteractionDataset Subset(ReadOnlySpan<int> rows)
    {
        var users = new int[rows.Length];
        var items = new int[rows.Length];
        var timestamps = new long[rows.Length];
        var codes = new byte[rows.Length];
        var values = new float[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            users[i] = _users[row];
            items[i] = _items[row];
            timestamps[i] = _timestamps[row];
            codes[i] = _eventTypeCodes[row];
            values[i] = _eventValues[row];
        }
        return new InteractionDataset(_userIds, _itemIds, _eventTypes, users, items, timestamps, codes, values, rows.Length, sourceSha256: null);
    }

    /// <summary>Each user's rows, oldest first (ties keep file order).</summary>
    public UserInteractionIndex GroupByUser() => UserInteractionIndex.Build(this);

    /// <summary>
    /// Identifies the training data of a model: the source file's SHA-256 when there is one, otherwise a
    /// SHA-256 over the rows themselves (ids, timestamps, event types and values).
    /// </summary>
    public string Fingerprint()
    {
        if (SourceSha256 is not null) return "sha256:" + SourceSha256;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var id in _userIds) hash.AppendData(System.Text.Encoding.UTF8.GetBytes(id + "\n"));
        foreach (var id in _itemIds) hash.AppendData(System.Text.Encoding.UTF8.GetBytes(id + "\n"));
        foreach (var type in _eventTypes) hash.AppendData(System.Text.Encoding.UTF8.GetBytes(type + "\n"));
        hash.AppendData(MemoryMarshal.AsBytes(UserIndex));
        hash.AppendData(MemoryMarshal.AsBytes(ItemIndex));
        hash.AppendData(MemoryMarshal.AsBytes(Timestamps));
        hash.AppendData(EventTypeCodes);
        hash.AppendData(MemoryMarshal.AsBytes(EventValues));
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static Dictionary<string, int> BuildLookup(string[] ids)
    {
        var lookup = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (var i = 0; i < ids.Length; i++) lookup[ids[i]] = i;
        return lookup;
    }
}
