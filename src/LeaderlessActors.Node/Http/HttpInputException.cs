namespace LeaderlessActors.Node.Http;

/// <summary>
/// A request the HTTP layer refuses before it reaches the store (a missing precondition, a bad parameter, a path the
/// key cannot be read from): its status and <c>error</c> code become a problem details answer, and nothing is changed.
/// </summary>
internal sealed class HttpInputException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;
}
