using HelloService.Contracts;

namespace HelloService.Load;

/// <summary>
/// GET on the plan's one URL. No redirects, proxies or cookies, so nothing but the given URL is
/// ever contacted; bodies are read up to 64 KB; connections are renewed every
/// <see cref="LoadPlan.ConnectionLifetime"/> because a Kubernetes Service balances connections,
/// not requests, and only new connections reach pods that joined after the run started.
/// </summary>
internal sealed class HttpRequestSender : IRequestSender
{
    private const int MaxBodyBytes = 64 * 1024;
    private readonly LoadPlan _plan;
    private readonly HttpClient _client;
    private int _refusalDescribed;

    public HttpRequestSender(LoadPlan plan)
    {
        _plan = plan;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = plan.ConnectionLifetime,
            ConnectTimeout = plan.Timeout < TimeSpan.FromSeconds(10) ? plan.Timeout : TimeSpan.FromSeconds(10),
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = MaxBodyBytes };
    }

    public async Task<Answer> SendAsync(CancellationToken stop)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop);
        limit.CancelAfter(_plan.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, _plan.Target);
        if (_plan.ApiKey is { } key)
        {
            request.Headers.TryAddWithoutValidation(ApiKey.HeaderName, key);
        }

        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, limit.Token).ConfigureAwait(false);
            var kind = Answer.Classify((int)response.StatusCode);
            if (kind != AnswerKind.Ok)
            {
                // Only the first refusal is read for its reason: the summary names one cause.
                return Interlocked.Exchange(ref _refusalDescribed, 1) == 0
                    ? new Answer(kind, Problem: await ProblemAnswer.DescribeAsync(response, _ => string.Empty, limit.Token).ConfigureAwait(false))
                    : new Answer(kind);
            }

            var body = await response.Content.ReadAsByteArrayAsync(limit.Token).ConfigureAwait(false);
            return Answer.FromOkBody(body);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            return new Answer(AnswerKind.TransportError, Problem: $"no answer within --timeout {Quantities.FormatDuration(_plan.Timeout)}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return new Answer(AnswerKind.TransportError, Problem: ServerText.Printable(e.Message));
        }
    }

    public void Dispose() => _client.Dispose();
}
