namespace LeaderlessActors.Benchmarks;

public static class Program
{
    public static Task<int> Main(string[] args) => BenchmarkCommand.RunAsync(args);
}
