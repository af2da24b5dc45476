using HelloService.Contracts;

namespace HelloService.LoadJobs;

/// <summary>The answer of <c>GET /load</c>.</summary>
internal sealed record LoadJobList(IReadOnlyList<LoadJobView> Jobs, int Running, int MaxJobs, int MaxMillicores, int MaxSeconds);
