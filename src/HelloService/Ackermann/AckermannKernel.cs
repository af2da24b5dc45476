using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

using HelloService.Workers;

namespace HelloService.Ackermann;

/// <summary>
/// The CPU burn: Ackermann's function, every step of the recursive definition performed, nothing
/// memoised or folded. Only the inner call recurses; the outer call of
/// <c>A(n, m) = A(n - 1, A(n, m - 1))</c> is a loop (what gcc does to the C version), which
/// halves the stack depth and is the fastest shape measured.
/// </summary>
internal static class AckermannKernel
{
    /// <summary>Largest n the service accepts; the closed forms below cover n &lt;= 3.</summary>
    public const int MaxN = 3;

    /// <summary>
    /// Computes A(n, m) into <paramref name="value"/>, polling <paramref name="stop"/> at every
    /// step of the levels n &gt;= 2 and before every A(1, x) they hand to <see cref="Burn"/>.
    /// Between two polls lies at most one A(1, x), about 2^(m+4) calls (well under a millisecond
    /// for the largest accepted m), so a stop is noticed promptly on the way down and on the way
    /// back up the recursion, while the lean n &lt;= 1 loop that does almost all the work carries
    /// no check. A stopped computation unwinds by plain returns (no exception through 10^5
    /// frames) and returns false.
    /// </summary>
    public static bool TryCompute(int n, int m, BurnStop stop, out int value)
    {
        value = 0;
        while (n >= 2)
        {
            if (stop.IsRequested)
            {
                return false;
            }

            if (m == 0)
            {
                m = 1;
            }
            else if (!TryCompute(n, m - 1, stop, out m))
            {
                return false;
            }

            n--;
        }

        if (stop.IsRequested)
        {
            return false;
        }

        value = Burn(n, m);
        return true;
    }

    /// <summary>
    /// A(n, m) with no cancellation check: the hot loop. Left to tiered compilation on purpose:
    /// <c>AggressiveOptimization</c> measured 2x slower here (it skips dynamic PGO).
    /// </summary>
    [DynamicDependency(nameof(LayoutPad))]
    public static int Burn(int n, int m)
    {
        while (n != 0)
        {
            m = m == 0 ? 1 : Burn(n, m - 1);
            n--;
        }

        return m + 1;
    }

    /// <summary>
    /// Never called: a one-byte method that <c>scripts/publish-aot.sh</c> places before
    /// <see cref="Burn"/> when the Native AOT link would start it 32 bytes past a 64-byte boundary
    /// (a loop straddling two 64-byte lines ran 40% slower). <see cref="Burn"/>, having a loop, is
    /// aligned to 32 bytes, so it moves to the next boundary, 32 bytes on. Kept in the binary by
    /// the <see cref="DynamicDependencyAttribute"/> on <see cref="Burn"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LayoutPad()
    {
    }

    /// <summary>
    /// The number of calls the plain recursive definition makes for A(n, m), n &lt;= 3, in
    /// closed form (so the hot loop needs no counter).
    /// </summary>
    public static long Calls(int n, int m)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        long mm = m;
        return n switch
        {
            0 => 1,
            1 => (2 * mm) + 2,
            2 => (2 * mm * mm) + (7 * mm) + 5,
            3 => ((128L << (2 * m)) - (120L << m) + (9 * mm) + 37) / 3,
            _ => throw new ArgumentOutOfRangeException(nameof(n), n, "closed form known for n <= 3"),
        };
    }

    /// <summary>The value A(n, m), n &lt;= 3, in closed form: what the kernel must agree with.</summary>
    public static long Value(int n, int m) => n switch
    {
        0 => m + 1L,
        1 => m + 2L,
        2 => (2L * m) + 3,
        3 => (1L << (m + 3)) - 3,
        _ => throw new ArgumentOutOfRangeException(nameof(n), n, "closed form known for n <= 3"),
    };

    /// <summary>
    /// An upper bound on the stack a thread needs to compute A(n, m) for any n &lt;= 3 and
    /// m &lt;= <paramref name="maxM"/>. The deepest nesting of <see cref="Burn"/> and
    /// <see cref="Compute"/> frames is about 2^(m+3); we allow twice that at
    /// <see cref="BytesPerFrameBound"/> bytes a frame, plus a megabyte for the thread itself.
    /// </summary>
    public static long StackBytesFor(int maxM) => ((1L << (maxM + 4)) * BytesPerFrameBound) + (1L << 20);

    /// <summary>
    /// Generous bound on one kernel frame (x64 and arm64, JIT Debug/Release and Native AOT use
    /// 32 to 64 bytes); a test runs the deepest recursion on a stack of this size.
    /// </summary>
    public const int BytesPerFrameBound = 128;

    /// <summary>
    /// The largest stack the service will give a worker thread; a <c>MaxM</c> that needs more
    /// is refused at start-up, since a stack overflow kills the process and cannot be caught.
    /// </summary>
    public const long MaxStackBytes = 256L << 20;
}
