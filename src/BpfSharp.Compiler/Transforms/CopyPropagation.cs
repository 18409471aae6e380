using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Transforms;

/// <summary>
/// Global copy and constant propagation. A forward must-analysis tracks facts "r holds v" (v a register or a
/// constant) created by <c>r = v</c> and killed by any later definition of r or of v; each read of r where
/// such a fact holds on every path is replaced by v. Because facts die with redefinitions, this is correct
/// for registers defined in several places. Constants never replace pointer registers, and copies only
/// replace a register by one of the same kind, so the verifier sees the same pointers.
/// </summary>
public static class CopyPropagation
{
    public static bool Run(IrFunction function)
    {
        if (function.Blocks.Count == 0) return false;
        List<BasicBlock> order = ControlFlow.ReversePostOrder(function);
        var preds = ControlFlow.Predecessors(function);
        var outFacts = new Dictionary<BasicBlock, Facts?>(); // null: not computed yet (the meet's identity)
        foreach (BasicBlock b in order) outFacts[b] = null;

        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (BasicBlock b in order)
            {
                Facts facts = In(function, b, preds, outFacts);
                foreach (IrInstruction i in b.Instructions) facts.Define(i.Destination, i);
                if (outFacts[b] is not { } old || !old.SameAs(facts)) { outFacts[b] = facts; changed = true; }
            }
        }

        bool rewritten = false;
        foreach (BasicBlock b in order)
        {
            Facts facts = In(function, b, preds, outFacts);
            foreach (IrInstruction i in b.Instructions)
            {
                rewritten |= Rewrite(i.Uses, map => i.RewriteUses(map), facts);
                facts.Define(i.Destination, i);
            }
            if (b.Terminator is { } t) rewritten |= Rewrite(t.Uses, map => t.RewriteUses(map), facts);
        }
        return rewritten;
    }

    static Facts In(IrFunction f, BasicBlock b, Dictionary<BasicBlock, List<BasicBlock>> preds, Dictionary<BasicBlock, Facts?> outFacts)
    {
        if (b == f.Blocks[0]) return new Facts(); // parameters arrive with no known relations
        Facts? result = null;
        foreach (BasicBlock p in preds[b])
        {
            if (!outFacts.TryGetValue(p, out Facts? pOut) || pOut is null) continue; // unreachable or not yet visited
            if (result is null) result = pOut.Clone();
            else result.IntersectWith(pOut);
        }
        return result ?? new Facts();
    }

    static bool Rewrite(IEnumerable<Operand> uses, Action<Func<VirtualRegister, Operand>> rewrite, Facts facts)
    {
        bool any = false;
        foreach (Operand o in uses)
            if (o.Register is { } r && facts.Replacement(r) is not null) { any = true; break; }
        if (!any) return false;
        bool changed = false;
        rewrite(r =>
        {
            if (facts.Replacement(r) is not { } v) return r;
            changed = true;
            return v;
        });
        return changed;
    }

    /// <summary>The copies known to hold at one point: destination register id → the value it holds.</summary>
    sealed class Facts
    {
        readonly Dictionary<int, (VirtualRegister Register, Operand Value)> _holds = [];

        public Facts Clone()
        {
            var c = new Facts();
            foreach (var kv in _holds) c._holds.Add(kv.Key, kv.Value);
            return c;
        }

        public void IntersectWith(Facts other)
        {
            foreach (var kv in _holds.ToList())
                if (!other._holds.TryGetValue(kv.Key, out var o) || o.Value != kv.Value.Value) _holds.Remove(kv.Key);
        }

        public bool SameAs(Facts other) =>
            _holds.Count == other._holds.Count && _holds.All(kv => other._holds.TryGetValue(kv.Key, out var o) && o.Value == kv.Value.Value);

        /// <summary>What may replace a read of <paramref name="r"/>, or null.</summary>
        public Operand? Replacement(VirtualRegister r)
        {
            if (!_holds.TryGetValue(r.Id, out var fact)) return null;
            Operand v = fact.Value;
            if (v.IsConstant) return r.Kind == ValueKind.Ptr ? null : (Operand?)Operand.Of(EbpfArithmetic.Normalize(v.Constant, r.Is32));
            return v.Register!.Kind == r.Kind ? v : (Operand?)null;
        }

        public void Define(VirtualRegister? destination, IrInstruction instruction)
        {
            if (destination is null) return;
            _holds.Remove(destination.Id);
            foreach (var kv in _holds.Where(kv => kv.Value.Value.Register is { } s && s.Id == destination.Id).ToList())
                _holds.Remove(kv.Key);
            if (instruction is MoveInstruction m && m.Value.Register?.Id != destination.Id)
            {
                // Chains collapse: after y = x with x holding z, y holds z too.
                Operand v = m.Value.Register is { } src && _holds.TryGetValue(src.Id, out var srcFact) && Compatible(destination, src, srcFact.Value)
                    ? srcFact.Value : m.Value;
                _holds[destination.Id] = (destination, v);
            }
        }

        static bool Compatible(VirtualRegister destination, VirtualRegister via, Operand value) =>
            value.IsConstant ? via.Kind != ValueKind.Ptr && destination.Kind != ValueKind.Ptr
                             : value.Register!.Kind == destination.Kind;
    }
}
