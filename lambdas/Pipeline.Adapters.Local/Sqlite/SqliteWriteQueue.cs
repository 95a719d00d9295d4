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
    // Microsoft.Data.Sqlite prepares a statement again for every new SqliteCommand; the writer runs the same few
    // statements thousands of times a second, so it keeps one prepared command per SQL text.
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteWriteQueue(SqliteConnection connection)
    {
        _connection = connection;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Runs <paramref name="write"/> inside the next transaction; completes once that transaction is committed.</summary>
    /// <param name="committed">
    /// Runs on the writer after the commit and before the caller resumes, in commit order (so an in-memory copy
    /// of what was written never goes back to an older value); it must be quick and must not throw.
    /// </param>
    public Task<T> EnqueueAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write, Action<T>? committed = null)
    {
        var pending = new PendingWrite<T>(write, committed);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SqliteWriteQueue), "The database is shutting down; nothing was written.");
        }
        return pending.Completion.Task;
    }

    /// <summary>
    /// A prepared command on the writer connection for <paramref name="sql"/>, reused across transactions, with
    /// its parameters cleared. Only for use inside a write callback (the writer thread); never dispose it.
    /// </summary>
    public SqliteCommand Command(string sql, SqliteTransaction transaction)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }
        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
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
                Command("SAVEPOINT w", transaction).ExecuteNonQuery();
                if (!write.Run(_connection, transaction))
                {
                    Command("ROLLBACK TO w", transaction).ExecuteNonQuery();
                }
                Command("RELEASE w", transaction).ExecuteNonQuery();
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
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync();
        }
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

    private sealed class PendingWrite<T>(Func<SqliteConnection, SqliteTransaction, T> write, Action<T>? committed) : PendingWrite
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
                try
                {
                    committed?.Invoke(_result!);
                }
                catch (Exception e)
                {
                    // The rows are committed whatever the callback does: the caller still gets its result.
                    System.Diagnostics.Trace.TraceError($"A commit callback failed: {e.Message}");
                }
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
