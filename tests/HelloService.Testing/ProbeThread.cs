using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HelloService.Testing;

/// <summary>
/// Probes a health endpoint as the kubelet does, from a thread of its own with blocking sockets:
/// a new connection per probe, a plain HTTP/1.1 GET, the status line read back. Nothing runs on
/// the thread pool, so a test that floods the service from the pool measures the service's
/// latency, not its own. Probes every <c>interval</c> until disposed.
/// </summary>
public sealed class ProbeThread : IDisposable
{
    private readonly int _port;
    private readonly string _path;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _timeout;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private readonly List<double> _latenciesMs = [];
    private int _failures;

    public ProbeThread(int port, string path, TimeSpan interval, TimeSpan timeout)
    {
        _port = port;
        _path = path;
        _interval = interval;
        _timeout = timeout;
        _thread = new Thread(Run) { IsBackground = true, Name = $"probe {path}" };
        _thread.Start();
    }

    /// <summary>Probes that got no answer or an answer other than 200.</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <summary>Latencies of the probes so far, in milliseconds (a copy).</summary>
    public double[] LatenciesMs
    {
        get
        {
            lock (_latenciesMs)
            {
                return [.. _latenciesMs];
            }
        }
    }

    /// <summary>One probe: the status code (null for no answer within <paramref name="timeout"/>) and how long it took.</summary>
    public static (int? Status, TimeSpan Elapsed) Once(int port, string path, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
            {
                NoDelay = true,
                ReceiveTimeout = (int)timeout.TotalMilliseconds,
                SendTimeout = (int)timeout.TotalMilliseconds,
            };
            // Blocking, but bounded: a dropped SYN must not hold the probe beyond its timeout.
            if (!socket.ConnectAsync(IPAddress.Loopback, port).Wait(timeout))
            {
                return (null, stopwatch.Elapsed);
            }

            socket.Send(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
            var buffer = new byte[512];
            var read = 0;
            int n;
            while (read < 12 && (n = socket.Receive(buffer, read, buffer.Length - read, SocketFlags.None)) > 0)
            {
                read += n;
            }

            // "HTTP/1.1 200 ..." : the status code is characters 9 to 11.
            return (read >= 12 && int.TryParse(Encoding.ASCII.GetString(buffer, 9, 3), out var status) ? status : null, stopwatch.Elapsed);
        }
        catch (Exception e) when (e is SocketException or AggregateException { InnerException: SocketException })
        {
            return (null, stopwatch.Elapsed);
        }
    }

    public void Dispose()
    {
        _stop.Set();
        if (_thread.Join(_timeout + _interval + TimeSpan.FromSeconds(5)))
        {
            _stop.Dispose(); // else the thread still waits on it; the finalizer frees it
        }
    }

    private void Run()
    {
        do
        {
            var (status, elapsed) = Once(_port, _path, _timeout);
            if (status != 200)
            {
                Interlocked.Increment(ref _failures);
            }

            lock (_latenciesMs)
            {
                _latenciesMs.Add(elapsed.TotalMilliseconds);
            }
        }
        while (!_stop.Wait(_interval));
    }
}
