using HelloService.Contracts;

namespace HelloService.Load;

/// <summary>Sends one request of a run and says how it ended.</summary>
internal interface IRequestSender : IDisposable
{
    /// <summary>The answer; throws <see cref="OperationCanceledException"/> only when <paramref name="stop"/> fired.</summary>
    Task<Answer> SendAsync(CancellationToken stop);
}
