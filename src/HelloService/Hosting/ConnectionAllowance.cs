using Microsoft.AspNetCore.Connections;

namespace HelloService.Hosting;

/// <summary>
/// A cap on one listener's open connections. Kestrel's own <c>MaxConcurrentConnections</c> is
/// server-wide, so a flood on the public port could lock probes out of the management port;
/// this cap applies to the port it is attached to only. Connections over it are closed at once.
/// </summary>
internal sealed class ConnectionAllowance(int limit)
{
    private int _open;

    public int Open => Volatile.Read(ref _open);

    public ConnectionDelegate Middleware(ConnectionDelegate next) => async connection =>
    {
        if (Interlocked.Increment(ref _open) > limit)
        {
            Interlocked.Decrement(ref _open);
            connection.Abort(new ConnectionAbortedException("The app port's connection limit (Server__MaxAppConnections) is reached."));
            return;
        }

        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    };
}
