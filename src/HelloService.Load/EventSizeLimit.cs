namespace HelloService.Load;

/// <summary>
/// Reads an event stream and fails, with <see cref="EventTooLargeException"/>, as soon as one
/// event (its lines up to the blank line that ends it) holds more than <see cref="MaxEventBytes"/>:
/// the SSE parser buffers a line and an event's data until they end, so a stream that never ends
/// either would otherwise grow the generator without bound. A load job's event is under 1 KiB.
/// </summary>
internal sealed class EventSizeLimit(Stream inner) : Stream
{
    public const int MaxEventBytes = 64 * 1024;

    private int _eventBytes;
    private bool _atLineStart = true;
    private bool _afterCarriageReturn;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Count(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Counts the bytes of the current event (line ends \r\n, \n or \r; an empty line ends the event).</summary>
    private int Count(ReadOnlySpan<byte> read)
    {
        foreach (var b in read)
        {
            if (b == (byte)'\n' && _afterCarriageReturn)
            {
                _afterCarriageReturn = false; // the second half of \r\n
                continue;
            }

            if (b is (byte)'\n' or (byte)'\r')
            {
                if (_atLineStart)
                {
                    _eventBytes = 0;
                }

                _atLineStart = true;
                _afterCarriageReturn = b == (byte)'\r';
                continue;
            }

            _atLineStart = false;
            _afterCarriageReturn = false;
            if (++_eventBytes > MaxEventBytes)
            {
                throw new EventTooLargeException();
            }
        }

        return read.Length;
    }
}

/// <summary>An event of the stream is larger than any a load job sends: the stream is not one.</summary>
internal sealed class EventTooLargeException()
    : IOException($"an event of more than {EventSizeLimit.MaxEventBytes / 1024} KiB (a line or an event that never ends): not a load job's event stream");
