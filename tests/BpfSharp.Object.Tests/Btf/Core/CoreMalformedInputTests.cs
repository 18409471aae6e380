using System.Diagnostics;
using BpfSharp.Btf;
using BpfSharp.Btf.Core;
using BpfSharp.Objects;
using Xunit;
using static BpfSharp.Object.Tests.Btf.Core.SampleBtf;

namespace BpfSharp.Object.Tests.Btf.Core;

/// <summary>Malformed BTF on either side gives a result or a BpfSharp exception: never a crash, a hang or a runaway.</summary>
public class CoreMalformedInputTests
{
    static readonly CoreRelocationRecord[] Relocations = BuildRelocations();

    static CoreRelocationRecord[] BuildRelocations()
    {
        var list = new List<CoreRelocationRecord>();
        foreach (CoreRelocationKind kind in Enum.GetValues<CoreRelocationKind>())
        {
            if (kind.IsFieldBased())
                foreach (string access in new[] { "0:0", "0:2:3", "0:6", "0:9", "0:10", "0:12:0", "1:1" })
                    list.Add(new(0, LTask, access, kind));
            else if (kind.IsTypeBased())
                foreach (uint type in new[] { LTask, LSched, LPidT, LPidType, LMissing })
                    list.Add(new(0, type, "0", kind));
            else
                foreach (uint type in new[] { LPidType, LBig64, LNeg })
                    list.Add(new(0, type, "0", kind));
        }
        list.Add(new(0, LFlex, "0:1:5", CoreRelocationKind.FieldByteOffset));
        list.Add(new(0, LSame, "0:0", CoreRelocationKind.FieldByteOffset));
        return list.ToArray();
    }

    [Fact]
    public void BitFlippedBtfOnEitherSide()
    {
        var random = new Random(20250203);
        int resolved = 0, refused = 0;
        for (int round = 0; round < 3000; round++)
        {
            bool flipTarget = round % 2 == 0;
            byte[] blob = (flipTarget ? TargetBytes : LocalBytes).ToArray();
            for (int flips = random.Next(1, 4); flips > 0; flips--)
                blob[random.Next(24, blob.Length)] ^= (byte)(1 << random.Next(8));
            BtfSpec mutated;
            try { mutated = BtfSpec.Parse(blob); }
            catch (BtfFormatException) { continue; }

            var relocator = flipTarget ? new CoreRelocator(Local, [mutated]) : new CoreRelocator(mutated, [Target]);
            foreach (CoreRelocationRecord r in Relocations)
            {
                try
                {
                    CoreRelocationResult result = relocator.Resolve(r);
                    _ = result.ToString();
                    resolved++;
                }
                catch (BpfFormatException)
                {
                    refused++;
                }
            }
        }
        Assert.True(resolved > 1000 && refused > 100, $"{resolved} resolved, {refused} refused");
    }

    [Fact]
    public void TypesThatContainThemselvesDoNotTakeExponentialTime()
    {
        var b = new TestBtf();
        uint i32 = b.Int("int", 4, signed: true);
        uint self = b.NextId;
        b.Struct("loop", 4, ("a", self, 0), ("b", self, 0), ("c", self, 0), ("d", self, 0));
        uint proto = b.NextId;
        uint protoPtr = b.NextId + 1;
        b.FuncProto(i32, protoPtr, protoPtr, protoPtr, protoPtr);
        b.Pointer(proto);
        uint cycle = b.NextId;
        b.Typedef("cycle", cycle); // a typedef of itself
        BtfSpec spec = b.Spec();

        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<CoreRelocationException>(() =>
            CoreRelocator.Resolve(spec, new CoreRelocationRecord(0, self, "0", CoreRelocationKind.TypeMatches), [spec]));
        Assert.Contains("malformed or too deeply nested", e.Message);
        Assert.Equal(0, CoreTypeMatching.TypesMatch(spec, protoPtr, spec, i32));
        Assert.Equal(-1, CoreCompatibility.TypesAreCompatible(spec, proto, spec, proto));
        Assert.Contains("broken", Assert.Throws<CoreRelocationException>(() =>
            CoreRelocator.Resolve(spec, new CoreRelocationRecord(0, cycle, "0:0", CoreRelocationKind.FieldByteOffset), [spec])).Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }
}
