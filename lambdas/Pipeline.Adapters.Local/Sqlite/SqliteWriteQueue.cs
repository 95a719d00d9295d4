using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Pipeline.Adapters.Local.Sqlite;

/// <summary>
/// Group commit: every write goes through one connection that drains whatever is queued into a single
/// transaction, so one fsync covers many concurrent requests. A writer that awaits its task knows its rows
/// are durable (synchronous=FULL); a write that fails affects only its own caller.
/// </summary>
public sealed class SqliteWriteQueue : IAsyncDisposable
{
    private const int MaxWritesPerTransaction = 512;

    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly Task _writer;

    public SqliteWriteQueue(SqliteConnection connection)
    {
        _connection = connection;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Runs <paramref name="write"/> inside the next transaction; completes once that transaction is committed.</summary>
    public Task<T> EnqueueAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write)
    {
        var pending = new PendingWrite<T>(write);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SqliteWriteQueue), "The database is shutting down; nothing was written.");
        }
        return pending.Completion.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(MaxWritesPerTransaction);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxWritesPerTransaction && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            Commit(batch);
            batch.Clear();
        }
    }

    private void Commit(List<PendingWrite> batch)
    {
        try
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var write in batch)
            {
                // A savepoint per write, so one caller's failure rolls back only its own rows.
                using var savepoint = _connection.CreateCommand();
                savepoint.Transaction = transaction;
                savepoint.CommandText = "SAVEPOINT w";
                savepoint.ExecuteNonQuery();
                if (write.Run(_connection, transaction))
                {
                    savepoint.CommandText = "RELEASE w";
                }
                else
                {
                    savepoint.CommandText = "ROLLBACK TO w; RELEASE w";
                }
                savepoint.ExecuteNonQuery();
            }
            transaction.Commit();
            foreach (var write in batch)
            {
                write.Publish();
            }
        }
        catch (Exception e)
        {
            foreach (var write in batch)
            {
                write.Fail(e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
        await _connection.DisposeAsync();
    }

    private abstract class PendingWrite
    {
        /// <summary>Runs the write; false when it failed and its savepoint must be rolled back.</summary>
        public abstract bool Run(SqliteConnection connection, SqliteTransaction transaction);

        /// <summary>Completes the caller once the transaction is committed.</summary>
        public abstract void Publish();

        public abstract void Fail(Exception e);
    }

    private sealed class PendingWrite<T>(Func<SqliteConnection, SqliteTransaction, T> write) : PendingWrite
    {
        private T? _result;
        private Exception? _error;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool Run(SqliteConnection connection, SqliteTransaction transaction)
        {
            try
            {
                _result = write(connection, transaction);
                return true;
            }
            catch (Exception e)
            {
                _error = e;
                return false;
            }
        }

        public override void Publish()
        {
            if (_error is null)
            {
                Completion.TrySetResult(_result!);
            }
            else
            {
                Completion.TrySetException(_error);
            }
        }

        public override void Fail(Exception e) => Completion.TrySetException(e);
    }
}
