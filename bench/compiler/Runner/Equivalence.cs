using BpfSharp.Programs;

namespace BpfSharp.Bench.Compiler.Runner;

/// <summary>
/// Runs each loaded version once on the case's packet and checks it does what the case expects (return value, packet
/// out, map state) and that both versions agree. A benchmark of programs that differ would measure nothing.
/// </summary>
static class Equivalence
{
    public static IReadOnlyList<string> Check(BenchmarkCase c, params Side[] sides)
    {
        var problems = new List<string>();
        byte[] packet = c.Packet();
        var outcomes = sides.Select(side =>
        {
            var dataOut = new byte[packet.Length];
            TestRunResult r = side.Program.TestRun(new TestRunOptions { Data = packet, DataOut = dataOut, Repeat = 1 });
            string state = c.State?.Invoke(side.Object) ?? "";
            return (side.Label, r.ReturnValue, Out: dataOut.AsSpan(0, r.DataOutLength).ToArray(), State: state);
        }).ToArray();

        byte[] expectedOut = c.ExpectedPacketOut?.Invoke(packet) ?? packet;
        foreach (var o in outcomes)
        {
            if (o.ReturnValue != c.ExpectedReturn) problems.Add($"{o.Label} returned {o.ReturnValue}, expected {c.ExpectedReturn}");
            if (!o.Out.AsSpan().SequenceEqual(expectedOut))
                problems.Add($"{o.Label}'s packet out differs from the expected one ({o.Out.Length} bytes: {Convert.ToHexString(o.Out)}; expected {Convert.ToHexString(expectedOut)})");
            if (c.ExpectedState is { } s && o.State != s) problems.Add($"{o.Label} left '{o.State}', expected '{s}'");
        }
        if (outcomes.Length == 2 && outcomes[0].State != outcomes[1].State) problems.Add($"states differ: C '{outcomes[0].State}', C# '{outcomes[1].State}'");
        return problems;
    }
}
