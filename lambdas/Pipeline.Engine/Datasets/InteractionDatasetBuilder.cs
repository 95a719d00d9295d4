namespace Pipeline.Engine.Datasets;

/// <summary>Accumulates interaction rows, interning ids as they arrive; lookups by span cost no allocation for ids seen before.</summary>
public sealed class InteractionDatasetBuilder
{
    private readonly Dictionary<string, int> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _eventTypes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _userLookup;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _itemLookup;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _eventTypeLookup;
    private readonly List<string> _userIds = [];
    private readonly List<string> _itemIds = [];
    private readonly List<string> _eventTypeNames = [];
    private int[] _userColumn;
    private int[] _itemColumn;
    private long[] _timestamps;
    private byte[] _codes;
    private float[] _values;

    public InteractionDatasetBuilder(int capacity = 1024)
    {
        capacity = Math.Max(16, capacity);
        _userColumn = new int[capacity];
        _itemColumn = new int[capacity];
        _timestamps = new long[capacity];
        _codes = new byte[capacity];
        _values = new float[capacity];
        _userLookup = _users.GetAlternateLookup<ReadOnlySpan<char>>();
        _itemLookup = _items.GetAlternateLookup<ReadOnlySpan<char>>();
        _eventTypeLookup = _eventTypes.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count { get; private set; }

    /// <summary>Adds a row; <paramref name="eventValue"/> is NaN when the row has none, <paramref name="eventType"/> empty when it has none.</summary>
    public void Add(ReadOnlySpan<char> userId, ReadOnlySpan<char> itemId, long timestamp, ReadOnlySpan<char> eventType, float eventValue = float.NaN)
    {
        var eventTypeCode = Intern(_eventTypeLookup, _eventTypeNames, eventType);
        if (eventTypeCode > byte.MaxValue) throw new InvalidOperationException("more than 256 distinct event types");
        if (Count == _userColumn.Length) Grow();
        _userColumn[Count] = Intern(_userLookup, _userIds, userId);
        _itemColumn[Count] = Intern(_itemLookup, _itemIds, itemId);
        _timestamps[Count] = timestamp;
        _codes[Count] = (byte)eventTypeCode;
        _values[Count] = eventValue;
        Count++;
    }

    public InteractionDataset Build(string? sourceSha256 = null) =>
        new([.. _userIds], [.. _itemIds], [.. _eventTypeNames], _userColumn, _itemColumn, _timestamps, _codes, _values, Count, sourceSha256);

    private static int Intern(Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup, List<string> names, ReadOnlySpan<char> id)
    {
        if (lookup.TryGetValue(id, out var index)) return index;
        index = names.Count;
        var name = id.ToString();
        lookup.Dictionary.Add(name, index);
        names.Add(name);
        return index;
    }

    private void Grow()
    {
        var size = _userColumn.Length * 2;
        Array.Resize(ref _userColumn, size);
        Array.Resize(ref _itemColumn, size);
        Array.Resize(ref _timestamps, size);
        Array.Resize(ref _codes, size);
        Array.Resize(ref _values, size);
    }
}
