using System.Text.Json;

namespace HelloService.Load;

/// <summary>One request's outcome: its category, the pod that answered and the CPU time it burnt.</summary>
/// <param name="Problem">Why it failed, printable, when the sender said (a transport error's message, the first refusal's problem details).</param>
/// <param name="Pod">The answer's <c>pod</c> object; null from a server too old to send one.</param>
internal readonly record struct Answer(AnswerKind Kind, string? Host = null, double CpuMs = 0, string? Problem = null, PodReading? Pod = null)
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
    /// Reads <c>host</c>, <c>ackermann.cpuMs</c> and <c>pod.cpuMillicores</c> /
    /// <c>pod.cpuRequestMillicores</c> from a 200 body with a forward-only reader (no reflection,
    /// no object graph). A body that is not the service's JSON still counts as a 200, without
    /// host or CPU time.
    /// </summary>
    public static Answer FromOkBody(ReadOnlySpan<byte> body)
    {
        string? host = null;
        double cpuMs = 0;
        double? podCpu = null;
        double? podRequest = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            string? inside = null; // the depth-1 object being read: ackermann or pod
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 1)
                {
                    inside = null;
                }

                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                if (reader.CurrentDepth == 1)
                {
                    if (reader.ValueTextEquals("host"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                    {
                        host = reader.GetString();
                    }
                    else if (reader.ValueTextEquals("ackermann"u8) || reader.ValueTextEquals("pod"u8))
                    {
                        var name = reader.ValueTextEquals("pod"u8) ? "pod" : "ackermann";
                        inside = reader.Read() && reader.TokenType == JsonTokenType.StartObject ? name : null;
                    }
                }
                else if (reader.CurrentDepth == 2 && inside == "ackermann" && reader.ValueTextEquals("cpuMs"u8))
                {
                    cpuMs = NonNegative(ref reader) ?? cpuMs;
                }
                else if (reader.CurrentDepth == 2 && inside == "pod" && reader.ValueTextEquals("cpuMillicores"u8))
                {
                    podCpu = NonNegative(ref reader);
                }
                else if (reader.CurrentDepth == 2 && inside == "pod" && reader.ValueTextEquals("cpuRequestMillicores"u8))
                {
                    podRequest = NonNegative(ref reader) is > 0 and var request ? request : null;
                }
            }
        }
        catch (JsonException)
        {
            // Keep what was read before the malformed part.
        }

        return new Answer(AnswerKind.Ok, host, cpuMs, Pod: podCpu is { } cpu ? new PodReading(cpu, podRequest) : null);
    }

    /// <summary>The next value when it is a finite number of at least 0.</summary>
    private static double? NonNegative(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var value) && double.IsFinite(value) && value >= 0
            ? value
            : null;
}
