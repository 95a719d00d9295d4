namespace Pipeline.Stores.Contracts;

/// <summary>Base of the contract classes: a fresh backend per test, disposed after it.</summary>
public abstract class StoreContract : IAsyncLifetime
{
    private IStoreBackend? _backend;

    protected IStoreBackend Backend => _backend ?? throw new InvalidOperationException("The backend is created before each test.");

    protected abstract Task<IStoreBackend> CreateBackendAsync();

    public async Task InitializeAsync() => _backend = await CreateBackendAsync();

    public async Task DisposeAsync()
    {
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }
    }
}
