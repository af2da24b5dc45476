using System.Runtime.InteropServices;

namespace HelloService.Memory;

/// <summary>
/// Memory held outside the garbage-collected heap, exact to the MiB: one anonymous mapping per
/// MiB (<c>mmap</c>), every page written so that it is resident (RssAnon, the working set the
/// kubelet reports), written again by <see cref="Touch"/> so it stays resident, and given back to
/// the operating system at once by <c>munmap</c> when it shrinks or is disposed. The GC's heap
/// neither grows exactly nor returns memory promptly; glibc's <c>malloc</c> may keep freed chunks.
/// Not thread-safe: one owner changes it.
/// </summary>
internal sealed partial class AnonymousMemory : IDisposable
{
    public const int ChunkBytes = 1 << 20;

    private const int ProtRead = 1;
    private const int ProtWrite = 2;
    private const int MapPrivate = 0x02;
    private const int MapAnonymous = 0x20;

    private static readonly int PageBytes = Environment.SystemPageSize;

    private static int s_heldMiB;

    private readonly List<nint> _chunks = [];

    /// <summary>MiB held now.</summary>
    public int MiB => _chunks.Count;

    /// <summary>MiB held now by every instance in the process: what admission counts as resident already.</summary>
    public static int HeldMiB => Volatile.Read(ref s_heldMiB);

    /// <summary>Grows or shrinks to <paramref name="mebibytes"/>; false (holding what it could) when the system refused a mapping.</summary>
    public bool Resize(int mebibytes)
    {
        while (_chunks.Count > mebibytes)
        {
            Free(_chunks[^1]);
            _chunks.RemoveAt(_chunks.Count - 1);
            Interlocked.Decrement(ref s_heldMiB);
        }

        while (_chunks.Count < mebibytes)
        {
            var chunk = Allocate();
            if (chunk == 0)
            {
                return false;
            }

            WritePages(chunk);
            _chunks.Add(chunk);
            Interlocked.Increment(ref s_heldMiB);
        }

        return true;
    }

    /// <summary>Writes every held page again, so none is reclaimed or swapped as idle.</summary>
    public void Touch()
    {
        foreach (var chunk in _chunks)
        {
            WritePages(chunk);
        }
    }

    public void Dispose() => Resize(0);

    private static unsafe void WritePages(nint chunk)
    {
        var bytes = (byte*)chunk;
        for (var offset = 0; offset < ChunkBytes; offset += PageBytes)
        {
            bytes[offset]++; // a write, never the same value twice: no page can stay the shared zero page
        }
    }

    private static unsafe nint Allocate()
    {
        if (!OperatingSystem.IsLinux())
        {
            return (nint)NativeMemory.AllocZeroed(ChunkBytes);
        }

        var address = Mmap(0, ChunkBytes, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        return address == -1 ? 0 : address;
    }

    private static unsafe void Free(nint chunk)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = Munmap(chunk, ChunkBytes);
        }
        else
        {
            NativeMemory.Free((void*)chunk);
        }
    }

    [LibraryImport("libc", EntryPoint = "mmap")]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(nint address, nuint length);
}
