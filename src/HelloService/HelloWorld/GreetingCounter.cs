namespace HelloService.HelloWorld;

/// <summary>Greeting ids, counted from 1 per process like the original's <c>AtomicLong</c>.</summary>
internal sealed class GreetingCounter
{
    private long _last;

    public long Last => Interlocked.Read(ref _last);

    public long Next() => Interlocked.Increment(ref _last);
}
