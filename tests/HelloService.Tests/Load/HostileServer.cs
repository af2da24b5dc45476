using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

using HelloService.Contracts;

namespace HelloService.Tests.Load;

/// <summary>
/// A raw HTTP/1.1 server on 127.0.0.1 that answers each request with the bytes a test gives it
/// (status lines, headers and bodies no well-behaved server would send), one request per
/// connection. It records each request line, accepts at most <see cref="MaxConnections"/>
/// connections, and stops writing after <see cref="MaxBytesPerAnswer"/> bytes or when disposed.
/// </summary>
internal sealed class HostileServer : IAsyncDisposable
{
    public const int MaxConnections = 64;
    public const long MaxBytesPerAnswer = 32L * 1024 * 1024;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, string, Stream, CancellationToken, Task> _answer;
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));
    private readonly Task _accepting;

    /// <param name="answer">Writes the whole answer to (method, path and query); the connection is closed after it.</param>
    private HostileServer(Func<string, string, Stream, CancellationToken, Task> answer)
    {
        _answer = answer;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>The request lines received so far, like <c>DELETE /load/7</c>.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static HostileServer Start(Func<string, string, Stream, CancellationToken, Task> answer) => new(answer);

    /// <summary>Writes <paramref name="text"/> as it is (Latin-1, so every byte below 256 can be sent).</summary>
    public static Task WriteAsync(Stream stream, string text, CancellationToken cancellation) =>
        stream.WriteAsync(Encoding.Latin1.GetBytes(text), cancellation).AsTask();

    /// <summary>A load job as the service shows it, as JSON (<paramref name="host"/> and <paramref name="state"/> as given, escaped).</summary>
    public static string Job(long id = 7, string state = "running", string host = "hostile") =>
        JsonSerializer.Serialize(
            new LoadJobView(id, 100, 60, state, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(60), state == "running" ? null : DateTimeOffset.UnixEpoch.AddSeconds(2),
                1, new AchievedMillicores(0, 0), 0, host),
            ContractsJsonContext.Default.LoadJobView);

    /// <summary>A 202 naming the job at <paramref name="location"/>, with the job itself as the body.</summary>
    public static Task AcceptedAsync(Stream stream, string location, CancellationToken cancellation, long id = 7, string host = "hostile")
    {
        var body = Job(id, host: host); // ASCII: the serializer escapes everything else
        return WriteAsync(stream, Head("202 Accepted", "application/json", body.Length, $"Location: {location}\r\nETag: \"1\"\r\n") + body, cancellation);
    }

    /// <summary>A 200 with the job cancelled as the body: the answer to a DELETE.</summary>
    public static Task DeletedAsync(Stream stream, CancellationToken cancellation, long id = 7)
    {
        var body = Job(id, state: "cancelled");
        return WriteAsync(stream, Head("200 OK", "application/json", body.Length) + body, cancellation);
    }

    /// <summary>A status line, headers and, with a length, the Content-Length and end of the head.</summary>
    public static string Head(string status, string contentType, long? length, string extraHeaders = "") =>
        $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nConnection: close\r\n{extraHeaders}"
        + (length is { } l ? $"Content-Length: {l}\r\n" : string.Empty) + "\r\n";

    /// <summary>Writes <paramref name="chunk"/> again and again until the client goes or the byte limit is reached.</summary>
    public static async Task RepeatAsync(Stream stream, byte[] chunk, CancellationToken cancellation)
    {
        for (long written = 0; written < MaxBytesPerAnswer; written += chunk.Length)
        {
            await stream.WriteAsync(chunk, cancellation);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        for (var i = 0; i < MaxConnections && !_stop.IsCancellationRequested; i++)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }

            connections.Add(ServeAsync(client));
        }

        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream, _stop.Token);
                var requestLine = head.Split("\r\n")[0].Split(' ');
                if (requestLine.Length < 2)
                {
                    return;
                }

                Requests.Enqueue($"{requestLine[0]} {requestLine[1]}");
                await _answer(requestLine[0], requestLine[1], stream, _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away (as it should when the answer is garbage), or the test ended.
            }
        }
    }

    /// <summary>The request's head, up to its blank line (at most 16 KB); a body, if any, is not read.</summary>
    private static async Task<string> ReadHeadAsync(Stream stream, CancellationToken cancellation)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (head.Length < 16 * 1024 && !head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(buffer, cancellation) == 0)
            {
                break;
            }

            head.Append((char)buffer[0]);
        }

        return head.ToString();
    }
}
