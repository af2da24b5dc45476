using System.Text.Json;

namespace HelloService.Load;

/// <summary>
/// What a refusing answer says, in one printable line: the status with the problem details'
/// title, detail and per-parameter errors, when the body has them (RFC 7807).
/// </summary>
internal static class ProblemAnswer
{
    /// <param name="optionOf">The option of this command that set a query parameter the problem names, like <c> (--hold)</c>, or empty.</param>
    public static async Task<string> DescribeAsync(HttpResponseMessage response, Func<string, string> optionOf, CancellationToken cancellation)
    {
        var text = $"{(int)response.StatusCode} {ServerText.Printable(response.ReasonPhrase, 100)}";
        if (response.Headers.RetryAfter?.Delta is { } retry)
        {
            text += $" (retry after {retry.TotalSeconds:0} s)";
        }

        try
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellation).ConfigureAwait(false);
            using var problem = JsonDocument.Parse(body);
            var root = problem.RootElement;
            foreach (var field in new[] { "title", "detail" })
            {
                if (root.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    text += $": {ServerText.Printable(value.GetString())}";
                }
            }

            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                foreach (var parameter in errors.EnumerateObject().Take(10))
                {
                    var messages = parameter.Value.ValueKind == JsonValueKind.Array
                        ? parameter.Value.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Take(10).Select(m => ServerText.Printable(m.GetString()))
                        : [];
                    text += $"; {ServerText.Printable(parameter.Name, 100)}{optionOf(parameter.Name)}: {string.Join(" ", messages)}";
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or HttpRequestException or IOException)
        {
            // Not problem details (a proxy's page, say): the status says enough.
        }

        return ServerText.Printable(text, 2 * ServerText.MaxLength);
    }
}
