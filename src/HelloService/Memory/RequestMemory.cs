namespace HelloService.Memory;

/// <summary>
/// What one <c>/hello-world?memMiB=N</c> request holds for as long as it runs: reserved in the
/// memory account first (refused when the limit has no room), then written page by page, and
/// given back to the operating system and the account when the request ends.
/// </summary>
internal sealed class RequestMemory : IDisposable
{
    private readonly MemoryAdmission _account;
    private readonly AnonymousMemory _memory = new();
    private readonly int _reservedMiB;

    private RequestMemory(MemoryAdmission account, int mebibytes)
    {
        _account = account;
        _reservedMiB = mebibytes;
        _memory.Resize(mebibytes);
    }

    /// <summary>MiB actually held (less than asked only if the system refused a mapping).</summary>
    public int HeldMiB => _memory.MiB;

    /// <summary>Holds <paramref name="mebibytes"/>, or returns null with the reason (<paramref name="ever"/>: it never could be).</summary>
    public static RequestMemory? TryHold(MemoryAdmission account, int mebibytes, out string? refusal, out bool ever)
    {
        refusal = account.TryReserve(mebibytes, out ever);
        return refusal is null ? new RequestMemory(account, mebibytes) : null;
    }

    public void Dispose()
    {
        _memory.Dispose();
        _account.Release(_reservedMiB);
    }
}
