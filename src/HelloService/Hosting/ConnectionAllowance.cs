using System.Buffers;
using System.IO.Pipelines;
using System.Text;

using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace HelloService.Hosting;

/// <summary>
/// A cap on one listener's open connections. Kestrel's own <c>MaxConcurrentConnections</c> is
/// server-wide, so a flood on the public port could lock probes out of the management port;
/// this cap applies to the port it is attached to only. Connections over it are closed at once.
/// <para>
/// A connection that sends no byte within the silent timeout is closed too: Kestrel's header
/// timeout starts at the first byte, and before it only the 75 s keep-alive timeout applies,
/// so silent sockets could otherwise hold every slot.
/// </para>
/// <para>
/// When the management endpoints share this port, a small reserve beyond the cap admits
/// connections whose first bytes are a probe (<c>GET /healthz/</c>); each serves that one
/// request and is closed, so the reserve cannot be held with keep-alive.
/// </para>
/// </summary>
internal sealed class ConnectionAllowance(int limit, TimeSpan silentTimeout, int probeReserve)
{
    /// <summary>Connection item set on connections admitted from the probe reserve.</summary>
    public const string ProbeOnlyItem = "HelloService.ProbeOnly";

    private static readonly byte[] ProbePrefix = Encoding.ASCII.GetBytes("GET /healthz/");

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

        try
        {
            var first = await FirstBytesAsync(connection.Transport.Input, reserved ? ProbePrefix.Length : 1).ConfigureAwait(false);
            if (first is null)
            {
                connection.Abort(new ConnectionAbortedException("No request within Server__SilentConnectionSeconds."));
                return;
            }

            if (reserved)
            {
                if (!first.AsSpan().SequenceEqual(ProbePrefix))
                {
                    connection.Abort(new ConnectionAbortedException("The app port's connection limit (Server__MaxAppConnections) is reached."));
                    return;
                }

                connection.Items[ProbeOnlyItem] = true;
            }

            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref reserved ? ref _reserveOpen : ref _open);
        }
    };

    /// <summary>True when the request came on a connection admitted only for one probe.</summary>
    public static bool IsProbeOnly(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(ProbeOnlyItem) == true;

    private static bool TryTake(ref int counter, int max)
    {
        if (Interlocked.Increment(ref counter) <= max)
        {
            return true;
        }

        Interlocked.Decrement(ref counter);
        return false;
    }

    /// <summary>
    /// Waits for the first <paramref name="count"/> bytes (fewer if the client closes) and
    /// returns a copy without consuming them, so Kestrel reads them as usual; null when the
    /// silent timeout passes first or the client sent nothing at all.
    /// </summary>
    private async Task<byte[]?> FirstBytesAsync(PipeReader input, int count)
    {
        using var timeout = new CancellationTokenSource(silentTimeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            var buffer = result.Buffer;
            if (buffer.Length >= count || result.IsCompleted || result.IsCanceled)
            {
                var first = buffer.Length == 0 ? null : buffer.Slice(0, Math.Min(count, buffer.Length)).ToArray();
                input.AdvanceTo(buffer.Start);
                return first;
            }

            // Not enough yet: mark what arrived as examined so that the next read waits for more.
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
