using System.Text.Json;
using Pipeline.Personalize.Local.Json;

namespace Pipeline.Personalize.Local.State;

/// <summary>
/// The resources under one lock, written to state.json after every change (to a temporary file, then moved, so a
/// crash leaves the previous state). Control-plane traffic is small; heavy work (training, imports) runs outside the lock.
/// </summary>
public sealed class StateStore
{
    private readonly object _gate = new();
    private readonly string _path;
    private readonly PersonalizeState _state;

    public StateStore(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        _path = Path.Combine(dataDirectory, "state.json");
        _state = File.Exists(_path)
            ? JsonSerializer.Deserialize<PersonalizeState>(File.ReadAllText(_path), PersonalizeJson.Options) ?? new PersonalizeState()
            : new PersonalizeState();
    }

    public T Read<T>(Func<PersonalizeState, T> read)
    {
        lock (_gate) return read(_state);
    }

    public T Write<T>(Func<PersonalizeState, T> change)
    {
        lock (_gate)
        {
            var result = change(_state);
            Save();
            return result;
        }
    }

    public void Write(Action<PersonalizeState> change) => Write<object?>(state =>
    {
        change(state);
        return null;
    });

    private void Save()
    {
        var temporary = _path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(_state, PersonalizeJson.Options));
        File.Move(temporary, _path, overwrite: true);
    }
}
