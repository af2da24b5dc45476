using System.Globalization;

using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

using HelloService.Ackermann;

namespace HelloService.Benchmarks;

/// <summary>Adds <see cref="NsPerCallColumn"/> to a benchmark class.</summary>
public sealed class NsPerCallConfig : ManualConfig
{
    public NsPerCallConfig() => AddColumn(new NsPerCallColumn());
}

/// <summary>
/// Mean time of one operation divided by the calls A(3, M) makes under the recursive definition:
/// the cost of one step of the burn, comparable across m.
/// </summary>
public sealed class NsPerCallColumn : IColumn
{
    public string Id => nameof(NsPerCallColumn);

    public string ColumnName => "ns/call";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Mean divided by the calls of the recursive definition of A(3, M)";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (mean is null || benchmarkCase.Parameters["M"] is not int m)
        {
            return "-";
        }

        return (mean.Value / AckermannKernel.Calls(3, m)).ToString("0.000", CultureInfo.InvariantCulture);
    }
}
