using LeaderlessActors.Node;

if (args is [HealthProbe.Command, .. var probeArgs]) return await HealthProbe.RunAsync(probeArgs, Environment.GetEnvironmentVariable);

var commandLine = new NodeCommandLine();
var parsed = commandLine.Command.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine($"Invalid option: {error.Message}");
    Console.Error.WriteLine("Run with --help to list the options.");
    return 2;
}
if (parsed.Action is not null) return await parsed.InvokeAsync(); // --help, --version

try
{
    var node = NodeConfiguration.Load(commandLine.Read(parsed));
    return await NodeLifetime.RunAsync(node);
}
catch (Exception e) when (StartupError.Describe(e) is { } message)
{
    Console.Error.WriteLine(message);
    return 2;
}
