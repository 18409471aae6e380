using BpfSharp.Btf;

namespace BpfSharp.Object.Tests.Btf.Core;

/// <summary>
/// A small "kernel" BTF and an object BTF with flavoured, partial views of its types, with the byte layout worked
/// out by hand in the comments so tests can state expected offsets independently of the code under test.
/// </summary>
static class SampleBtf
{
    public static readonly BtfSpec Target;
    public static readonly BtfSpec Local;
    public static readonly byte[] TargetBytes;
    public static readonly byte[] LocalBytes;

    // target ids
    public static readonly uint TTaskStruct, TSchedEntity, TPidType, TBig64, TNeg, TPidT, TOdd, TDup, TDup2, TSame, TSame2, TFlex;
    // local ids
    public static readonly uint LTask, LSched, LSchedBadSize, LSchedLongLong, LPidType, LPidTypeNoMatch, LBig64, LNeg, LMissing, LPidT, LOdd, LDup, LSame, LFlex, LAnon, LUnion;

    static SampleBtf()
    {
        var t = new TestBtf();
        uint i32 = t.Int("int", 4, signed: true);
        uint u32 = t.Int("unsigned int", 4);
        uint i64 = t.Int("long", 8, signed: true);
        uint u64 = t.Int("unsigned long", 8);
        uint ch = t.Char();
        uint comm = t.Array(ch, 16, u32);
        uint anonUnion = t.Union("", 4, ("prio", i32, 0), ("alt", u32, 0));
        TSchedEntity = t.Struct("sched_entity", 16, ("vruntime", u64, 0), ("weight", i32, 64));
        uint taskPtr = t.Pointer(t.NextId + 1); // the struct added next
        // struct task_struct (80 bytes):
        //   0 long state | 8 u32 flags | 12 union { int prio; u32 alt } | 16 int pid | 20 int tgid | 24 char comm[16]
        //   40 task_struct *real_parent | 48: u32 in_execve:1 @384, int nice:5 @388, u32 straddle:6 @412, u64 wide:40 @448
        //   64 struct sched_entity se
        TTaskStruct = t.BitfieldStruct("task_struct", 80,
            ("state", i64, 0, 0), ("flags", u32, 64, 0), ("", anonUnion, 96, 0), ("pid", i32, 128, 0), ("tgid", i32, 160, 0),
            ("comm", comm, 192, 0), ("real_parent", taskPtr, 320, 0), ("in_execve", u32, 384, 1), ("nice", i32, 388, 5),
            ("straddle", u32, 412, 6), ("wide", u64, 448, 40), ("se", TSchedEntity, 512, 0));
        TPidType = t.Enum("pid_type", 4, false, ("PIDTYPE_PID", 0), ("PIDTYPE_TGID", 1), ("PIDTYPE_PGID", 2), ("PIDTYPE_MAX", 4));
        TBig64 = t.Enum64("big64", 8, true, ("BIG", 0x1_0000_0001L), ("NEG", -2));
        TNeg = t.Enum("neg", 4, false, ("MINUS", -1));
        TPidT = t.Typedef("pid_t", i32);
        // a u64:10 bitfield at bit 60 straddles two 64-bit words: no single load reads it
        TOdd = t.BitfieldStruct("odd", 16, ("x", u64, 60, 10));
        TDup = t.Struct("dup", 8, ("x", i32, 0));
        TDup2 = t.Struct("dup___2", 8, ("pad", i32, 0), ("x", i32, 32));
        TSame = t.Struct("same", 4, ("x", i32, 0));
        TSame2 = t.Struct("same___2", 4, ("x", i32, 0));
        uint flexArray = t.Array(i32, 0, u32);
        TFlex = t.Struct("flex", 4, ("n", i32, 0), ("items", flexArray, 32));
        TargetBytes = t.Build();
        Target = BtfSpec.Parse(TargetBytes);

        var l = new TestBtf();
        uint li32 = l.Int("int", 4, signed: true);
        uint lu32 = l.Int("unsigned int", 4);
        uint lu64 = l.Int("unsigned long", 8);
        uint lull = l.Int("unsigned long long", 8);
        uint lch = l.Char();
        uint lcomm = l.Array(lch, 16, lu32);
        LSched = l.Struct("sched_entity___mine", 8, ("vruntime", lu64, 0));
        LSchedBadSize = l.Struct("sched_entity___bad", 4, ("vruntime", lu32, 0));
        LSchedLongLong = l.Struct("sched_entity___llong", 8, ("vruntime", lull, 0));
        uint lTaskPtr = l.Pointer(l.NextId + 1);
        // struct task_struct___mine (80 bytes):
        //   0 int pid | 4 int tgid | 8 char comm[16] | 24 u64 flags | 32 int state | 40 *real_parent | 48 int prio
        //   52 int nope | 56: u32 in_execve:1 @448, int nice:5 @449, u32 straddle:6 @454, u64 wide:40 @460 | 72 se
        LTask = l.BitfieldStruct("task_struct___mine", 80,
            ("pid", li32, 0, 0), ("tgid", li32, 32, 0), ("comm", lcomm, 64, 0), ("flags", lu64, 192, 0), ("state", li32, 256, 0),
            ("real_parent", lTaskPtr, 320, 0), ("prio", li32, 384, 0), ("nope", li32, 416, 0), ("in_execve", lu32, 448, 1),
            ("nice", li32, 449, 5), ("straddle", lu32, 454, 6), ("wide", lu64, 460, 40), ("se", LSched, 576, 0));
        LPidType = l.Enum("pid_type___mine", 4, false, ("PIDTYPE_TGID", 7), ("PIDTYPE_GONE", 9));
        LPidTypeNoMatch = l.Enum("pid_type___x", 4, false, ("PIDTYPE_PID", 0), ("PIDTYPE_GONE", 9));
        LBig64 = l.Enum64("big64___l", 8, true, ("BIG", 5), ("NEG", -2));
        LNeg = l.Enum("neg___l", 4, false, ("MINUS", -1));
        LMissing = l.Struct("missing___x", 4, ("x", li32, 0));
        LPidT = l.Typedef("pid_t___x", li32);
        LOdd = l.BitfieldStruct("odd", 16, ("x", lu64, 0, 10));
        LDup = l.Struct("dup___mine", 4, ("x", li32, 0));
        LSame = l.Struct("same___mine", 4, ("x", li32, 0));
        uint lflexArray = l.Array(li32, 0, lu32);
        LFlex = l.Struct("flex___l", 4, ("n", li32, 0), ("items", lflexArray, 32));
        LAnon = l.Struct("", 4, ("x", li32, 0));
        LUnion = l.Union("task_struct", 4, ("pid", li32, 0));
        LocalBytes = l.Build();
        Local = BtfSpec.Parse(LocalBytes);
    }
}
