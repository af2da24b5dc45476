namespace HelloService.Ackermann;

/// <summary>
/// A flag the kernel polls. Cheaper than <see cref="CancellationToken"/> in a hot loop and set
/// from a token registration.
/// </summary>
internal sealed class BurnCancellation
{
    private volatile bool _requested;

    public bool IsCancellationRequested => _requested;

    public void Cancel() => _requested = true;
}
