using System.Text.Json;

namespace HelloService.Load;

/// <summary>How one request ended, in the categories the per-second line counts.</summary>
internal enum AnswerKind
{
    /// <summary>200: the host and the CPU time it reported count.</summary>
    Ok,

    /// <summary>503: the service (or a proxy in front of it) is at capacity.</summary>
    Unavailable,

    /// <summary>4xx: a wrong query, a missing API key.</summary>
    ClientError,

    /// <summary>5xx other than 503.</summary>
    ServerError,

    /// <summary>1xx and 3xx (redirects are not followed: only the given URL is contacted).</summary>
    OtherStatus,

    /// <summary>No HTTP answer: refused, reset, timed out, unreadable.</summary>
    TransportError,
}
