using BpfSharp.Asm;
using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Backend;

/// <summary>
/// Graph-colouring register allocation with iterated coalescing (George and Appel): interference from
/// liveness over the CFG, r0–r9 precoloured, conservative (Briggs) and George coalescing of copies, biased
/// colour choice, spilling to 8-byte stack slots with the spilled values' live ranges split into short
/// temporaries, repeated until everything gets a register. Calls define r0–r5, so values live across a
/// call interfere with them and land in r6–r9.
/// </summary>
internal sealed class RegisterAllocator
{
    const int K = MachineRegister.Allocatable;
    const int MaxRounds = 32;

    enum NodeState : byte { Unused, Initial, Simplify, Freeze, Spill, Spilled, Coalesced, Colored, Selected, Precolored }
    enum MoveState : byte { Worklist, Active, Coalesced, Constrained, Frozen }

    readonly MachineFunction _function;
    readonly int _n;
    readonly NodeState[] _state;
    readonly HashSet<long> _adjacent = [];
    readonly List<int>[] _adjacency;
    readonly int[] _degree;
    readonly int[] _alias;
    readonly int[] _color;
    readonly double[] _cost;
    readonly List<(int Dst, int Src)> _moves = [];
    readonly List<MoveState> _moveState = [];
    readonly List<int>[] _moveList;
    readonly Stack<int> _simplify = new();
    readonly SortedSet<int> _freeze = [], _spill = [];
    readonly Stack<int> _select = new();
    readonly List<int> _spilled = [];

    RegisterAllocator(MachineFunction function)
    {
        _function = function;
        _n = function.RegisterCount;
        _state = new NodeState[_n];
        _adjacency = new List<int>[_n];
        _degree = new int[_n];
        _alias = new int[_n];
        _color = new int[_n];
        _cost = new double[_n];
        _moveList = new List<int>[_n];
        for (int i = 0; i < _n; i++) { _adjacency[i] = []; _moveList[i] = []; _color[i] = -1; _alias[i] = i; }
        for (int r = 0; r < K; r++) { _state[r] = NodeState.Precolored; _color[r] = r; _degree[r] = int.MaxValue / 2; }
        _color[MachineRegister.FramePointer] = MachineRegister.FramePointer;
    }

    /// <summary>Assigns every register id a physical register (the result maps id → 0–10), inserting spill code as needed.</summary>
    public static int[] Allocate(MachineFunction function)
    {
        for (int round = 0; round < MaxRounds; round++)
        {
            LoopDepth.Compute(function);
            var allocator = new RegisterAllocator(function);
            allocator.Build(Liveness.Compute(function));
            allocator.MakeWorklists();
            allocator.Iterate();
            allocator.AssignColors();
            if (allocator._spilled.Count == 0) return allocator._color;
            SpillRewriter.Rewrite(function, allocator.SpillGroups());
        }
        throw new InvalidOperationException($"Register allocation of '{function.Source.Name}' did not converge after {MaxRounds} rounds.");
    }

    static bool Allocatable(int id) => id != MachineRegister.FramePointer && id >= 0;
    bool Precolored(int id) => id < K;

    void Build(Liveness liveness)
    {
        foreach (MachineBlock block in _function.Blocks)
        {
            double weight = Math.Pow(10, Math.Min(block.LoopDepth, 6));
            RegisterSet live = liveness.LiveOut[block.Index].Clone();
            foreach (int u in block.Terminator.Uses) { live.Add(u); Touch(u, weight); }
            for (int i = block.Code.Count - 1; i >= 0; i--)
            {
                MachineInstruction instruction = block.Code[i];
                foreach (int r in instruction.Defs) Touch(r, weight);
                foreach (int r in instruction.Uses) Touch(r, weight);
                if (instruction.IsCopy && Allocatable(instruction.Src) && instruction.Src != instruction.Dst)
                {
                    live.Remove(instruction.Src);
                    int move = _moves.Count;
                    _moves.Add((instruction.Dst, instruction.Src));
                    _moveState.Add(MoveState.Worklist);
                    _worklistMoves.Add(move);
                    _moveList[instruction.Dst].Add(move);
                    _moveList[instruction.Src].Add(move);
                }
                foreach (int d in instruction.Defs) live.Add(d);
                foreach (int d in instruction.Defs)
                    foreach (int l in live.Members()) AddEdge(l, d);
                foreach (int d in instruction.Defs) live.Remove(d);
                foreach (int u in instruction.Uses) live.Add(u);
            }
        }
    }

    void Touch(int id, double weight)
    {
        if (Precolored(id)) return;
        if (_state[id] == NodeState.Unused) _state[id] = NodeState.Initial;
        _cost[id] += weight;
    }

    void AddEdge(int u, int v)
    {
        if (u == v || !_adjacent.Add(Key(u, v))) return;
        _adjacent.Add(Key(v, u));
        if (!Precolored(u)) { _adjacency[u].Add(v); _degree[u]++; }
        if (!Precolored(v)) { _adjacency[v].Add(u); _degree[v]++; }
    }

    static long Key(int u, int v) => ((long)u << 32) | (uint)v;

    void MakeWorklists()
    {
        for (int n = MachineRegister.PhysicalCount; n < _n; n++)
        {
            if (_state[n] != NodeState.Initial) continue;
            if (_degree[n] >= K) { _state[n] = NodeState.Spill; _spill.Add(n); }
            else if (MoveRelated(n)) { _state[n] = NodeState.Freeze; _freeze.Add(n); }
            else { _state[n] = NodeState.Simplify; _simplify.Push(n); }
        }
    }

    void Iterate()
    {
        while (true)
        {
            if (_simplify.Count > 0) Simplify();
            else if (NextWorklistMove() is { } m) Coalesce(m);
            else if (_freeze.Count > 0) Freeze();
            else if (_spill.Count > 0) SelectSpill();
            else break;
        }
    }

    // Moves re-enter the worklist (EnableMoves); taking the lowest first keeps the allocation deterministic.
    readonly SortedSet<int> _worklistMoves = [];

    int? NextWorklistMove()
    {
        if (_worklistMoves.Count == 0) return null;
        int first = _worklistMoves.Min;
        _worklistMoves.Remove(first);
        return first;
    }

    IEnumerable<int> Adjacent(int n)
    {
        foreach (int m in _adjacency[n])
            if (_state[m] is not (NodeState.Selected or NodeState.Coalesced)) yield return m;
    }

    IEnumerable<int> NodeMoves(int n)
    {
        foreach (int m in _moveList[n])
            if (_moveState[m] is MoveState.Active or MoveState.Worklist) yield return m;
    }

    bool MoveRelated(int n) => NodeMoves(n).Any();

    void Simplify()
    {
        int n = _simplify.Pop();
        _state[n] = NodeState.Selected;
        _select.Push(n);
        foreach (int m in Adjacent(n).ToList()) DecrementDegree(m);
    }

    void DecrementDegree(int m)
    {
        if (Precolored(m)) return;
        int d = _degree[m]--;
        if (d != K) return;
        EnableMoves(m);
        foreach (int a in Adjacent(m).ToList()) EnableMoves(a);
        if (_state[m] != NodeState.Spill) return;
        _spill.Remove(m);
        if (MoveRelated(m)) { _state[m] = NodeState.Freeze; _freeze.Add(m); }
        else { _state[m] = NodeState.Simplify; _simplify.Push(m); }
    }

    void EnableMoves(int n)
    {
        foreach (int m in NodeMoves(n).ToList())
            if (_moveState[m] == MoveState.Active) { _moveState[m] = MoveState.Worklist; _worklistMoves.Add(m); }
    }

    int Alias(int n)
    {
        while (_state[n] == NodeState.Coalesced) n = _alias[n];
        return n;
    }

    void Coalesce(int move)
    {
        int x = Alias(_moves[move].Dst), y = Alias(_moves[move].Src);
        (int u, int v) = Precolored(y) ? (y, x) : (x, y);
        if (u == v)
        {
            _moveState[move] = MoveState.Coalesced;
            AddWorklist(u);
        }
        else if (Precolored(v) || _adjacent.Contains(Key(u, v)))
        {
            _moveState[move] = MoveState.Constrained;
            AddWorklist(u);
            AddWorklist(v);
        }
        else if (Precolored(u) ? Adjacent(v).All(t => George(t, u)) : Briggs(u, v))
        {
            _moveState[move] = MoveState.Coalesced;
            Combine(u, v);
            AddWorklist(u);
        }
        else _moveState[move] = MoveState.Active;
    }

    void AddWorklist(int u)
    {
        if (Precolored(u) || MoveRelated(u) || _degree[u] >= K || _state[u] != NodeState.Freeze) return;
        _freeze.Remove(u);
        _state[u] = NodeState.Simplify;
        _simplify.Push(u);
    }

    bool George(int t, int r) => _degree[t] < K || Precolored(t) || _adjacent.Contains(Key(t, r));

    bool Briggs(int u, int v)
    {
        var neighbours = new HashSet<int>(Adjacent(u));
        neighbours.UnionWith(Adjacent(v));
        int significant = 0;
        foreach (int n in neighbours) if (_degree[n] >= K) significant++;
        return significant < K;
    }

    void Combine(int u, int v)
    {
        if (_state[v] == NodeState.Freeze) _freeze.Remove(v); else _spill.Remove(v);
        _state[v] = NodeState.Coalesced;
        _alias[v] = u;
        _moveList[u].AddRange(_moveList[v]);
        _cost[u] += _cost[v];
        EnableMoves(v);
        foreach (int t in Adjacent(v).ToList())
        {
            AddEdge(t, u);
            DecrementDegree(t);
        }
        if (_degree[u] >= K && _state[u] == NodeState.Freeze)
        {
            _freeze.Remove(u);
            _state[u] = NodeState.Spill;
            _spill.Add(u);
        }
    }

    void Freeze()
    {
        int u = _freeze.Min;
        _freeze.Remove(u);
        _state[u] = NodeState.Simplify;
        _simplify.Push(u);
        FreezeMoves(u);
    }

    void FreezeMoves(int u)
    {
        foreach (int m in NodeMoves(u).ToList())
        {
            int x = Alias(_moves[m].Dst), y = Alias(_moves[m].Src);
            int v = y == Alias(u) ? x : y;
            _worklistMoves.Remove(m);
            _moveState[m] = MoveState.Frozen;
            if (!Precolored(v) && !MoveRelated(v) && _degree[v] < K && _state[v] == NodeState.Freeze)
            {
                _freeze.Remove(v);
                _state[v] = NodeState.Simplify;
                _simplify.Push(v);
            }
        }
    }

    void SelectSpill()
    {
        int best = -1;
        double bestScore = double.MaxValue;
        foreach (int n in _spill)
        {
            double score = _function.Unspillable.Contains(n) ? double.MaxValue / 2 : _cost[n] / Math.Max(1, _degree[n]);
            if (best < 0 || score < bestScore) { best = n; bestScore = score; }
        }
        _spill.Remove(best);
        _state[best] = NodeState.Simplify;
        _simplify.Push(best);
        FreezeMoves(best);
    }

    /// <summary>Each spilled node with the nodes coalesced into it: one live range, one stack slot.</summary>
    List<int[]> SpillGroups() =>
        [.. _spilled.Select(s => Enumerable.Range(MachineRegister.PhysicalCount, _n - MachineRegister.PhysicalCount)
            .Where(n => n == s || _state[n] == NodeState.Coalesced && Alias(n) == s).ToArray())];

    // r1–r5 first, then r0, then the callee-saved r6–r9: values that cross no call leave r6–r9 to those that do.
    static readonly int[] ColorOrder = [1, 2, 3, 4, 5, 0, 6, 7, 8, 9];

    void AssignColors()
    {
        Span<bool> forbidden = stackalloc bool[K];
        while (_select.Count > 0)
        {
            int n = _select.Pop();
            forbidden.Clear();
            foreach (int w in _adjacency[n])
            {
                int a = Alias(w);
                if (_state[a] is NodeState.Colored or NodeState.Precolored) forbidden[_color[a]] = true;
            }
            int chosen = -1;
            foreach (int m in _moveList[n])   // biased colouring: the colour of a copy's other side
            {
                int other = Alias(_moves[m].Dst) == n ? Alias(_moves[m].Src) : Alias(_moves[m].Dst);
                if (_state[other] is NodeState.Colored or NodeState.Precolored && !forbidden[_color[other]]) { chosen = _color[other]; break; }
            }
            if (chosen < 0)
                foreach (int c in ColorOrder) if (!forbidden[c]) { chosen = c; break; }
            if (chosen < 0) { _state[n] = NodeState.Spilled; _spilled.Add(n); continue; }
            _state[n] = NodeState.Colored;
            _color[n] = chosen;
        }
        for (int n = MachineRegister.PhysicalCount; n < _n; n++)
            if (_state[n] == NodeState.Coalesced) _color[n] = _color[Alias(n)];
        if (_spilled.Count > 0) return;
        for (int n = MachineRegister.PhysicalCount; n < _n; n++)
            if (_color[n] < 0) _color[n] = 0; // never read or written: any register
    }
}

/// <summary>Spills registers to 8-byte stack slots: a fill before each use and a store after each definition, through fresh short-lived temporaries.</summary>
internal static class SpillRewriter
{
    public static void Rewrite(MachineFunction function, IReadOnlyList<int[]> groups)
    {
        foreach (int[] group in groups)
        {
            var slot = new StackSlot(-1 - function.SpillSlots.Count, 8, 8, "spill") { ZeroInitialize = false };
            function.SpillSlots.Add(slot);
            foreach (int v in group) Rewrite(function, v, slot);
        }
    }

    static void Rewrite(MachineFunction function, int v, StackSlot slot)
    {
        {
            ValueKind kind = function.Kinds[v];
            foreach (MachineBlock block in function.Blocks)
            {
                for (int i = 0; i < block.Code.Count; i++)
                {
                    MachineInstruction instruction = block.Code[i];
                    bool uses = instruction.Uses.Contains(v), defines = instruction.Defs.Contains(v);
                    if (!uses && !defines) continue;
                    int t = function.NewRegister(kind);
                    function.Unspillable.Add(t);
                    instruction.Rename(v, t);
                    if (uses)
                    {
                        block.Code.Insert(i, Fill(t, slot, instruction.Source));
                        i++;
                    }
                    if (defines)
                    {
                        block.Code.Insert(i + 1, Spill(t, slot, instruction.Source));
                        i++;
                    }
                }
                if (block.Terminator.Uses.Contains(v))
                {
                    int t = function.NewRegister(kind);
                    function.Unspillable.Add(t);
                    block.Terminator.Rename(v, t);
                    block.Code.Add(Fill(t, slot, block.Terminator.Source));
                }
            }
        }
    }

    static MachineInstruction Fill(int t, StackSlot slot, SourceLocation? source) => new()
    {
        Template = Instruction.Load(MemorySize.DoubleWord, Register.R0, Register.R10, 0),
        Dst = t, Src = MachineRegister.FramePointer, Defs = [t], Uses = [], Slot = slot, SlotField = SlotField.Offset, Source = source,
    };

    static MachineInstruction Spill(int t, StackSlot slot, SourceLocation? source) => new()
    {
        Template = Instruction.Store(MemorySize.DoubleWord, Register.R10, 0, Register.R0),
        Dst = MachineRegister.FramePointer, Src = t, Defs = [], Uses = [t], Slot = slot, SlotField = SlotField.Offset,
        HasSideEffects = true, Source = source,
    };
}
