namespace HelloService.LoadJobs;

/// <summary>Where a load job is in its life.</summary>
internal enum LoadJobState
{
    Running,

    /// <summary>It ran for all its seconds.</summary>
    Completed,

    /// <summary>It was stopped early: deleted, or the instance shut down.</summary>
    Cancelled,
}
