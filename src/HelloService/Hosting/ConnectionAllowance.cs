using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace HelloService.Hosting;

/// <summary>
/// A cap on one listener's open connections. Kestrel's own <c>MaxConcurrentConnections</c> is
/// server-wide, so a flood on the public port could lock probes out of the management port;
/// this cap applies to the port it is attached to only. Connections over it are closed at once.
/// <para>
/// A connection that brings no request within the silent timeout is closed too: Kestrel's header
/// timeout starts at the first byte, and before it only the 75 s keep-alive timeout applies, so
/// silent sockets could otherwise hold every slot. (The connection is not read here: the first
/// request marks it, through <see cref="MarkRequest"/>.)
/// </para>
/// <para>
/// When the management endpoints share this port, a small reserve beyond the cap admits
/// connections for health probes only: <see cref="MarkRequest"/> answers anything else with 503,
/// and each such connection serves one request and closes, so the reserve cannot be held with
/// keep-alive.
/// </para>
/// </summary>
internal sealed class ConnectionAllowance(int limit, TimeSpan silentTimeout, int probeReserve)
{
    private const string StateItem = "HelloService.ConnectionState";

    private int _open;
    private int _reserveOpen;

    public int Open => Volatile.Read(ref _open);

    public ConnectionDelegate Middleware(ConnectionDelegate next) => async connection =>
    {
        var admitted = TryTake(ref _open, limit);
        var reserved = !admitted && TryTake(ref _reserveOpen, probeReserve);
        if (!admitted && !reserved)
        {
            connection.Abort(new ConnectionAbortedException("The app port's connection limit (Server__MaxAppConnections) is reached."));
            return;
        }

        var state = new ConnectionState(reserved);
        connection.Items[StateItem] = state;
        using var silence = new CancellationTokenSource(silentTimeout);
        using var closeIfSilent = silence.Token.Register(() =>
        {
            if (!state.RequestSeen)
            {
                connection.Abort(new ConnectionAbortedException("No request within Server__SilentConnectionSeconds."));
            }
        });
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref reserved ? ref _reserveOpen : ref _open);
        }
    };

    /// <summary>
    /// Notes that a request arrived on its connection (so the silent timeout no longer applies),
    /// and returns false for a request on a probe-reserve connection that is not a probe.
    /// Probe-reserve connections are closed after their answer.
    /// </summary>
    public static bool MarkRequest(HttpContext context)
    {
        if (context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(StateItem, out var item) != true
            || item is not ConnectionState state)
        {
            return true;
        }

        state.RequestSeen = true;
        if (!state.ProbeOnly)
        {
            return true;
        }

        context.Response.Headers.Connection = "close";
        return HttpMethods.IsGet(context.Request.Method) && context.Request.Path.StartsWithSegments("/healthz", StringComparison.Ordinal);
    }

    private static bool TryTake(ref int counter, int max)
    {
        if (Interlocked.Increment(ref counter) <= max)
        {
            return true;
        }

        Interlocked.Decrement(ref counter);
        return false;
    }

    private sealed class ConnectionState(bool probeOnly)
    {
        private volatile bool _requestSeen;

        public bool ProbeOnly { get; } = probeOnly;

        public bool RequestSeen
        {
            get => _requestSeen;
            set => _requestSeen = value;
        }
    }
}
