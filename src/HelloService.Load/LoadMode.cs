using System.Globalization;

namespace HelloService.Load;

/// <summary>How requests are paced.</summary>
internal enum LoadMode
{
    /// <summary>Open loop at demand / CPU per request (<c>--demand</c>, <c>--ramp</c>, <c>--steps</c>, <c>--sine</c>).</summary>
    Demand,

    /// <summary>Open loop at a fixed number of requests per second, any query (<c>--rate</c>).</summary>
    Rate,

    /// <summary>Closed loop: N requests in flight, each sent when the previous one answered (<c>--concurrency</c>).</summary>
    Concurrency,

    /// <summary>No requests: load jobs on one instance (CPU, memory or both), started, watched and deleted (<c>--hold</c>, <c>--hold-memory</c>).</summary>
    Hold,
}
