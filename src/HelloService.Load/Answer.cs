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

/// <summary>One request's outcome: its category, the pod that answered and the CPU time it burnt.</summary>
/// <param name="Problem">Why it failed, printable, when the sender said (a transport error's message, the first refusal's problem details).</param>
internal readonly record struct Answer(AnswerKind Kind, string? Host = null, double CpuMs = 0, string? Problem = null)
{
    public static readonly Answer Failed = new(AnswerKind.TransportError);

    public static AnswerKind Classify(int status) => status switch
    {
        200 => AnswerKind.Ok,
        503 => AnswerKind.Unavailable,
        >= 400 and < 500 => AnswerKind.ClientError,
        >= 500 => AnswerKind.ServerError,
        _ => AnswerKind.OtherStatus,
    };

    /// <summary>
    /// Reads <c>host</c> and <c>ackermann.cpuMs</c> from a 200 body with a forward-only reader
    /// (no reflection, no object graph). A body that is not the service's JSON still counts as
    /// a 200, without host or CPU time.
    /// </summary>
    public static Answer FromOkBody(ReadOnlySpan<byte> body)
    {
        string? host = null;
        double cpuMs = 0;
        try
        {
            var reader = new Utf8JsonReader(body);
            var inAckermann = false;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 1)
                {
                    inAckermann = false;
                }

                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                if (reader.CurrentDepth == 1 && reader.ValueTextEquals("host"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    host = reader.GetString();
                }
                else if (reader.CurrentDepth == 1 && reader.ValueTextEquals("ackermann"u8))
                {
                    inAckermann = reader.Read() && reader.TokenType == JsonTokenType.StartObject;
                }
                else if (inAckermann && reader.CurrentDepth == 2 && reader.ValueTextEquals("cpuMs"u8)
                    && reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var value)
                    && double.IsFinite(value) && value >= 0)
                {
                    cpuMs = value;
                }
            }
        }
        catch (JsonException)
        {
            // Keep what was read before the malformed part.
        }

        return new Answer(AnswerKind.Ok, host, cpuMs);
    }
}
