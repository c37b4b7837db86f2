using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Steep.Core.Models;
using Steep.Core.Serialization;

namespace Steep.Core.Generator;

/// <summary>
/// Turns a workflow into process chains step by step (the paper's <c>generateProcessChains</c> with
/// <c>unrollForEachActions</c>), with Steep 5's semantics. Unlike Steep, each step only looks at the actions whose
/// inputs or dependencies changed since the last step, so its cost follows the newly ready work, not the workflow size.
/// </summary>
public sealed partial class ProcessChainGenerator
{
    /// <summary>Suffix of the temporary name a for-each output has until all of its values are collected.</summary>
    internal const string TempSuffix = "$$";

    private readonly Dictionary<string, Service> _services;
    private readonly Func<IReadOnlyList<Executable>, ExecuteAction, bool>? _consistencyCheck;
    private IdGenerator _ids;
    private long _nextSeq;
    private int _pendingCount;

    // the state (what Steep keeps) ...
    // value key -> value (Steep's variable values) + readers and waiting collections (an index over the pending actions)
    private readonly Dictionary<string, KeyState> _keys = new();
    private int _valueCount;
    private readonly Dictionary<string, int> _enumPositions = new();
    private readonly Dictionary<string, ActionState> _actions = new(); // action id -> executed (Steep's executed set), waits
    private readonly Dictionary<string, PendingCollection> _toCollect = new();
    private readonly HashSet<string> _readyToRename = new();
    private readonly Dictionary<string, SubActionWait> _subActionsToWaitFor = new(); // for-each id -> count; ids below
    private readonly Dictionary<string, int> _iterations = new();
    private readonly List<GAction> _roots = new(); // pending actions, for saving; compacted lazily

    // lazy unrolling: the for-eaches whose input has items not unrolled yet (their cursor is in _enumPositions), and
    // how many more sub-actions the current step may unroll (int.MaxValue: all at once, as Steep does)
    private readonly List<GFor> _windowed = new();
    private readonly HashSet<string> _windowedIds = new();
    private int _unrollBudget = int.MaxValue;
    private bool _windowing; // this step has a budget: items' executed marks are forgotten once the item is done

    // ... and indexes over it, so that a step only touches what changed
    private readonly Dictionary<string, List<GAction>> _dependents = new();      // action id -> actions depending on it
    private readonly HashSet<GAction> _dirty = new();
    private int _dirtyAdds; // additions to _dirty since it was last cleared, a bound on the slots it enumerates
    private Dictionary<string, List<int>> _readyToCollect = new();
    private HashSet<string> _collectionsToCheck = new();
    private readonly HashSet<string> _forEachesToMark = new();

    // scratch space of CollectForEachOutputs, swapped with the two above and reused from step to step
    private Dictionary<string, List<int>> _readyToCollectSpare = new();
    private HashSet<string> _collectionsToCheckSpare = new();
    private readonly Stack<List<int>> _indexListPool = new();

    // scratch space of CreateProcessChains, reused from chain to chain
    private long _visitStamp;
    private readonly HashSet<string> _chainExecutableIds = new();
    private readonly Dictionary<string, string> _chainArgumentValues = new();
    private readonly List<string> _chainCapabilities = new();

    /// <summary>Creates a generator for a workflow; the workflow should have passed validation.</summary>
    public ProcessChainGenerator(Workflow workflow, IEnumerable<Service> services, GeneratorOptions? options = null)
        : this(services, options ?? new GeneratorOptions())
    {
        Priority = workflow.Priority;
        var vars = new Dictionary<string, GVar>();
        foreach (var v in workflow.Vars) vars.TryAdd(v.Id, new GVar(v.Id, ToValue(v.Value)));
        foreach (var a in workflow.Actions) AddPending(Convert(a, vars));
    }

    private ProcessChainGenerator(IEnumerable<Service> services, GeneratorOptions options)
    {
        _services = new Dictionary<string, Service>();
        foreach (var s in services) _services.TryAdd(s.Id, s);
        TmpPath = options.TmpPath;
        OutPath = options.OutPath;
        _consistencyCheck = options.ConsistencyCheck;
        _ids = new IdGenerator(options.IdSeed ?? IdGenerator.RandomSeed(), 0);
    }

    /// <summary>Base directory of temporary outputs.</summary>
    public string TmpPath { get; set; }

    /// <summary>Base directory of outputs with <c>store: true</c>.</summary>
    public string OutPath { get; set; }

    /// <summary>The priority given to generated chains.</summary>
    public int? Priority { get; private set; }

    /// <summary>True when every action has been turned into process chains.</summary>
    public bool IsFinished => _pendingCount == 0;

    /// <summary>
    /// True when a for-each action has input items that a step with an unroll budget left for later: a further step
    /// with a budget unrolls more of them, even when nothing else changed.
    /// </summary>
    public bool HasMoreToUnroll => _windowed.Count > 0;

    /// <summary>The values known so far (workflow results): variable id to value.</summary>
    public IReadOnlyDictionary<string, object> Values => _valuesView ??= new ValuesView(this);

    private ValuesView? _valuesView;

    /// <summary>
    /// Produces the process chains that are ready now. Pass the <paramref name="results"/> (output variable id to
    /// values) and the ids of the executables that succeeded since the previous call.
    /// </summary>
    /// <param name="results">Output variable id to the values produced since the previous call.</param>
    /// <param name="executedExecutableIds">The executables that succeeded since the previous call.</param>
    /// <param name="unrollBudget">
    /// How many sub-actions this step may unroll from for-each actions (null: every item at once, as Steep does).
    /// Items beyond it stay in the for-each's input behind a cursor until a later step has budget again; a for-each
    /// whose unrolled sub-actions have all finished always gets one more item, so nested for-eaches progress. The same
    /// sequence of budgets gives the same chains, so a replay after a restart must pass the budgets it passed before.
    /// For-eaches that yield to their own input are always unrolled whole.
    /// </param>
    /// <exception cref="GeneratorException">the workflow cannot be processed any further.</exception>
    public IReadOnlyList<ProcessChain> Generate(
        IReadOnlyDictionary<string, IReadOnlyList<string>>? results = null,
        IEnumerable<string>? executedExecutableIds = null,
        int? unrollBudget = null)
    {
        _unrollBudget = unrollBudget is { } budget ? Math.Max(0, budget) : int.MaxValue;
        _windowing = unrollBudget is not null;
        // what was left for later gets another look in every step (a handful of for-eaches, not their items)
        foreach (var f in _windowed) MarkDirty(f);
        // the usual concrete types are enumerated without boxing an enumerator (this runs once per finished chain)
        if (results is Dictionary<string, IReadOnlyList<string>> dictionary)
        {
            foreach (var (key, list) in dictionary) SetResult(key, list);
        }
        else if (results is not null)
        {
            foreach (var (key, list) in results) SetResult(key, list);
        }
        if (executedExecutableIds is List<string> ids)
        {
            foreach (var id in ids) MarkExecuted(id);
        }
        else if (executedExecutableIds is not null)
        {
            foreach (var id in executedExecutableIds) MarkExecuted(id);
        }
        CollectForEachOutputs();
        MarkExecutedForEachActions();
        UnrollForEachActions();
        return CreateProcessChains();
    }

    // ---------------------------------------------------------------- values and indexes

    private void SetResult(string key, IReadOnlyList<string> list) =>
        SetValue(key, list.Count == 1 ? list[0] : new List<object?>(list));

    private object? GetValue(string key)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_keys, key);
        return Unsafe.IsNullRef(ref entry) ? null : entry.Value;
    }

    // setting or removing a value and finding what it affects is one lookup (a step of a large workflow is bound by
    // lookups in tables of 100,000s of entries)
    private void SetValue(string key, object value)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_keys, key, out _);
        if (entry.Value is null) _valueCount++;
        entry.Value = value;
        Touch(ref entry, key);
    }

    private void RemoveValue(string key)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_keys, key);
        if (Unsafe.IsNullRef(ref entry) || entry.Value is null) return;
        entry.Value = null;
        _valueCount--;
        Touch(ref entry, key);
    }

    /// <summary>Marks the pending readers of a changed key dirty and its waiting collections ready.</summary>
    private void Touch(ref KeyState entry, string key)
    {
        // (neither MarkDirty nor AddReady changes _keys, so the reference stays valid until the Remove)
        int readers = entry.KeepPendingReaders();
        for (int i = 0; i < readers; i++) MarkDirty(entry.ReaderAt(i));
        int collections = entry.CollectionCount;
        for (int i = 0; i < collections; i++)
        {
            var (k, index) = entry.CollectionAt(i);
            AddReady(k, index);
        }
        if (entry.IsEmpty) _keys.Remove(key); // no value, every reader has run and nothing waits: forget the key
    }

    private void AddReady(string key, int index)
    {
        if (!_readyToCollect.TryGetValue(key, out var list))
            _readyToCollect[key] = list = _indexListPool.TryPop(out var pooled) ? pooled : [];
        list.Add(index);
    }

    private bool HasValue(GVar v) => v.Value is not null || GetValue(v.Id) is not null;

    private void AddPending(GAction a)
    {
        a.Seq = _nextSeq++;
        a.Pending = true;
        _pendingCount++;
        _roots.Add(a);
        Index(a);
        MarkDirty(a);
    }

    private void MarkDirty(GAction a)
    {
        if (_dirty.Add(a)) _dirtyAdds++;
    }

    /// <summary>
    /// A HashSet enumerates every slot ever used since it was last cleared, removed ones included, so after a step
    /// that made many actions dirty (the first step of a large for-each) each later step would pay for all of them.
    /// Clearing the set once it is mostly empty keeps the cost of a step proportional to its own work.
    /// </summary>
    private void CompactDirty()
    {
        if (_dirtyAdds <= 2 * _dirty.Count + 64) return;
        if (_dirty.Count == 0)
        {
            _dirty.Clear();
            _dirtyAdds = 0;
            return;
        }
        var rest = _dirty.ToArray();
        _dirty.Clear();
        _dirty.UnionWith(rest);
        _dirtyAdds = rest.Length;
    }

    private void RemovePending(GAction a)
    {
        if (!a.Pending) return;
        a.Pending = false;
        _pendingCount--;
        _dirty.Remove(a);
        Unindex(a);
    }

    /// <summary>
    /// Drops the index entries that only point at this (no longer pending) action, so that it and its entries can be
    /// collected; entries shared with other actions are pruned lazily (every reader skips actions that are not pending).
    /// </summary>
    private void Unindex(GAction a)
    {
        switch (a)
        {
            case GExec e:
                for (int k = 0; k < e.Inputs.Count; k++) RemoveReaderIfOnly(e.Inputs[k].Var.Id, a);
                break;
            case GFor f:
                RemoveReaderIfOnly(f.Input.Id, a);
                RemoveReaderIfOnly(f.TempInputKey, a);
                RemoveReaderIfOnly(f.RecursiveInputKey, a);
                break;
        }
        for (int k = 0; k < a.DependsOn.Count; k++) RemoveIfOnly(_dependents, a.DependsOn[k], a);
    }

    private void RemoveReaderIfOnly(string key, GAction a)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_keys, key);
        if (Unsafe.IsNullRef(ref entry) || !entry.IsOnlyReader(a)) return;
        entry.ClearReaders();
        if (entry.IsEmpty) _keys.Remove(key);
    }

    private static void RemoveIfOnly(Dictionary<string, List<GAction>> index, string key, GAction a)
    {
        if (index.TryGetValue(key, out var list) && list.Count == 1 && ReferenceEquals(list[0], a)) index.Remove(key);
    }

    private void Index(GAction a)
    {
        switch (a)
        {
            case GExec e:
                for (int k = 0; k < e.Inputs.Count; k++) Watch(e.Inputs[k].Var.Id, a);
                break;
            case GFor f:
                Watch(f.Input.Id, a);
                Watch(f.TempInputKey, a);
                Watch(f.RecursiveInputKey, a);
                break;
        }
        for (int k = 0; k < a.DependsOn.Count; k++) AddTo(_dependents, a.DependsOn[k], a);
    }

    private void Watch(string key, GAction a)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_keys, key, out _);
        entry.AddReader(a);
    }

    private static void AddTo<T>(Dictionary<string, List<T>> index, string key, T item)
    {
        // most keys get exactly one entry (the one reader of a variable, the one parent of a sub-action)
        if (!index.TryGetValue(key, out var list)) index[key] = list = new List<T>(1);
        list.Add(item);
    }

    private bool IsExecuted(string id) => _actions.TryGetValue(id, out var state) && state.Executed;

    private void MarkExecuted(string id)
    {
        // one lookup per executed id: the for-eaches waiting for it are in the same entry as its executed flag (and
        // are not needed afterwards, as MarkExecuted does nothing for an id a second time)
        ref var state = ref CollectionsMarshal.GetValueRefOrAddDefault(_actions, id, out _);
        if (state.Executed) return;
        var (first, more) = state.MarkExecuted(); // (the reference into the table is not used after this)
        if (_dependents.TryGetValue(id, out var deps))
        {
            foreach (var a in deps) if (a.Pending) MarkDirty(a);
        }
        if (first is not null)
        {
            CountExecuted(first);
            if (more is not null) foreach (var wait in more) CountExecuted(wait);
        }
    }

    private void CountExecuted(SubActionWait wait)
    {
        if (--wait.Remaining > 0) return;
        if (wait.ItemIds is { } itemIds) ForgetExecuted(itemIds);
        else _forEachesToMark.Add(wait.ForEachId);
    }

    /// <summary>
    /// Forgets the executed marks of one unrolled item's sub-actions once all of them are executed: only the item's own
    /// actions (siblings, and the sub-actions of its nested for-eaches, which are renamed per item) can depend on them,
    /// and those are done. A repeated report of one of them then finds nothing waiting, as before.
    /// </summary>
    private void ForgetExecuted(string[] ids)
    {
        foreach (var id in ids)
        {
            if (_actions.TryGetValue(id, out var state) && state.Executed) _actions.Remove(id);
        }
    }

    // ---------------------------------------------------------------- phase 1: collect for-each outputs

    private void CollectForEachOutputs()
    {
        while (_readyToCollect.Count > 0 || _collectionsToCheck.Count > 0)
        {
            // take this round's work and let what it triggers collect in the (empty) spares, without copying:
            // both are only ever added to and cleared, so they enumerate in insertion order like a fresh copy would
            var ready = _readyToCollect;
            _readyToCollect = _readyToCollectSpare;
            var keys = _collectionsToCheck;
            _collectionsToCheck = _collectionsToCheckSpare;
            foreach (var (key, indexes) in ready)
            {
                if (!_toCollect.TryGetValue(key, out var pc)) continue;
                indexes.Sort();
                List<object?>? target = null;
                int last = -1;
                foreach (var i in indexes)
                {
                    if (i == last || pc.Collected[i]) continue;
                    last = i;
                    var (id, declared) = pc.Items[i];
                    var value = declared ?? GetValue(id);
                    if (value is null) continue;
                    pc.Collected[i] = true;
                    pc.Remaining--;
                    // Steep's yieldTo: append to the collected list, flattening one level
                    target ??= YieldTarget(GetValue(key));
                    if (value is List<object?> l) target.AddRange(l); else target.Add(value);
                }
                if (target is not null) SetValue(key, target);
                keys.Add(key);
            }
            foreach (var key in keys)
            {
                if (!_toCollect.TryGetValue(key, out var pc) || pc.Remaining > 0) continue;
                RemoveCollection(key, pc);
                if (_readyToRename.Remove(key)) RenameTemporaryOutput(key);
            }
            foreach (var indexes in ready.Values)
            {
                if (indexes.Capacity > 1024 || _indexListPool.Count >= 16) continue; // keep the pool small
                indexes.Clear();
                _indexListPool.Push(indexes);
            }
            ready.Clear();
            keys.Clear();
            _readyToCollectSpare = ready;
            _collectionsToCheckSpare = keys;
        }
    }

    private void RemoveCollection(string key, PendingCollection pc)
    {
        _toCollect.Remove(key);
        foreach (var (id, _) in pc.Items)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_keys, id);
            if (Unsafe.IsNullRef(ref entry) || entry.CollectionCount == 0) continue;
            entry.RemoveCollection(key);
            if (entry.IsEmpty) _keys.Remove(id);
        }
    }

    /// <summary>The list that collected values are appended to (Steep's yieldTo) given the value collected so far.</summary>
    private static List<object?> YieldTarget(object? dest) => dest switch
    {
        // the lists stored under collection keys are the generator's own, so appending in place is safe and keeps
        // feeding results one at a time linear
        null => new List<object?>(),
        List<object?> l => l,
        _ => new List<object?> { dest },
    };

    private void RenameTemporaryOutput(string key)
    {
        if (GetValue(key) is { } v)
        {
            SetValue(key[..^TempSuffix.Length], v);
            RemoveValue(key);
        }
    }

    private void AddToCollection(string key, List<GVar> vars)
    {
        if (!_toCollect.TryGetValue(key, out var pc)) _toCollect[key] = pc = new PendingCollection();
        foreach (var v in vars)
        {
            int i = pc.Add(v);
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_keys, v.Id, out _);
            entry.AddCollection(key, i);
            if (HasValue(v)) AddReady(key, i);
        }
        if (pc.Remaining == 0) _collectionsToCheck.Add(key);
    }

    // ---------------------------------------------------------------- phase 2: mark finished for-each actions

    private void MarkExecutedForEachActions()
    {
        while (_forEachesToMark.Count > 0)
        {
            var ids = _forEachesToMark.ToList();
            _forEachesToMark.Clear();
            foreach (var id in ids)
            {
                // a for-each with items still to unroll is not done when what it unrolled so far is: its last window
                // registers the rest (and marks it then if they are done already)
                if (_windowedIds.Contains(id)) continue;
                if (!_subActionsToWaitFor.TryGetValue(id, out var wait) || wait.Remaining > 0) continue;
                _subActionsToWaitFor.Remove(id);
                MarkExecuted(id);
            }
        }
    }

    // ---------------------------------------------------------------- phase 3: unroll for-each actions

    private void UnrollForEachActions()
    {
        List<GFor>? ready = null;
        foreach (var a in _dirty) if (a is GFor f && f.Pending) (ready ??= []).Add(f);
        if (ready is null) return; // the usual case once the for-eaches are unrolled: no allocation
        ready.Sort((x, y) => x.Seq.CompareTo(y.Seq)); // Seq is unique, so this is the order OrderBy gave
        var queue = new Queue<GFor>(ready);
        foreach (var f in ready) _dirty.Remove(f);
        while (queue.TryDequeue(out var action))
        {
            if (action.Pending) Unroll(action, queue);
        }
    }

    private void Unroll(GFor action, Queue<GFor> queue)
    {
        foreach (var d in action.DependsOn) if (!IsExecuted(d)) return;

        var enumId = action.Enumerator.Id;
        var enumKey = action.EnumPositionKey;
        var recKey = action.RecursiveInputKey;
        int enumPosition = _enumPositions.GetValueOrDefault(enumKey);

        var tempInput = GetValue(action.TempInputKey);
        var source = tempInput ?? GetValue(action.Input.Id) ?? action.Input.Value;
        var body = action.Actions;
        int cost = Math.Max(1, body.Count); // sub-actions one item unrolls into (at this level)
        List<object?>? inputs = null;
        bool more = false; // items left for a later step
        bool nested = false; // windowed, with for-eaches in its body: one item at a time
        if (source is not null)
        {
            var il = source as List<object?> ?? [source];
            int from = Math.Min(enumPosition, il.Count);
            int take = il.Count - from;
            if (_unrollBudget != int.MaxValue && action.YieldToInput is null)
            {
                nested = HasNestedForEach(body);
                int allowed = ItemsAllowed(action, cost, nested);
                if (take > allowed) (take, more) = (allowed, true);
            }
            if (more) AddWindowed(action);
            else RemoveWindowed(action);
            if (take == 0 && more) return; // no budget left in this step: the cursor stays where it is
            _enumPositions[enumKey] = from + take;
            inputs = il.GetRange(from, take);
        }
        var recursive = GetValue(recKey) as List<object?>;
        if (inputs is not null && recursive is not null) inputs.AddRange(recursive);
        var collection = inputs ?? (recursive is null ? null : new List<object?>(recursive));
        if (collection is null) return;
        if (_unrollBudget != int.MaxValue) _unrollBudget -= (int)Math.Min(int.MaxValue, (long)collection.Count * cost);

        var yieldToOutputs = new List<GVar>(action.YieldToOutput is null ? 0 : collection.Count);
        var yieldToInputs = new List<GVar>(action.YieldToInput is null ? 0 : collection.Count);
        var unrolledIds = new List<string>(collection.Count * body.Count);
        var subst = new Dictionary<string, GVar>(); // one iteration's renames; cleared per iteration
        int newOutputs = 0;
        var firstPass = new GAction[body.Count];
        int iteration = _iterations.TryGetValue(enumId, out var lastIteration) ? lastIteration : -1;
        var items = _windowing ? new List<(int Start, int Count)>(collection.Count) : null;
        foreach (var enumValue in collection)
        {
            items?.Add((unrolledIds.Count, body.Count));
            iteration++;
            _iterations[enumId] = iteration;
            subst.Clear();
            subst[enumId] = new GVar($"{enumId}${iteration}", enumValue);

            // two passes so that dependsOn may point at a sibling declared later
            for (int k = 0; k < body.Count; k++) firstPass[k] = RenamePass(body[k], subst, iteration);
            foreach (var sub in firstPass)
            {
                var unrolled = SubstitutePass(sub, subst);
                AddPending(unrolled);
                if (unrolled is GFor f)
                {
                    _dirty.Remove(f);
                    queue.Enqueue(f);
                }
                else if (unrolled is GExec ue)
                {
                    newOutputs += ue.Outputs.Count;
                }
                unrolledIds.Add(unrolled.Id);
            }
            if (action.YieldToOutput is { } yo)
            {
                yieldToOutputs.Add(subst.GetValueOrDefault(yo.Id) ?? throw new GeneratorException(
                    $"For-each action '{action.Id}' cannot yield non-existing variable '{yo.Id}' to its output"));
            }
            if (action.YieldToInput is { } yi)
            {
                yieldToInputs.Add(subst.GetValueOrDefault(yi.Id) ?? throw new GeneratorException(
                    $"For-each action '{action.Id}' cannot yield non-existing variable '{yi.Id}' to its input"));
            }
        }

        // the results of what was just unrolled will come back one chain at a time: make room for them now, so that
        // those steps do not rehash tables of 100,000s of entries
        Reserve(_keys, newOutputs);
        Reserve(_actions, unrolledIds.Count);

        if (action.Output is { } output) AddToCollection(output.Id + TempSuffix, yieldToOutputs);
        RegisterSubActions(action.Id, unrolledIds);
        if (items is not null) foreach (var (start, count) in items) RegisterItem(action.Id, unrolledIds.GetRange(start, count).ToArray());
        if (more)
        {
            // pending until its last item is unrolled; the output stays temporary until then. One with nested
            // for-eaches comes back after the one just unrolled (queued behind it), as long as budget is left
            if (nested && _unrollBudget > 0) queue.Enqueue(action);
            return;
        }

        if (yieldToInputs.Count == 0)
        {
            if (_toCollect.TryGetValue(recKey, out var rec) && rec.Remaining > 0) return;
            if (tempInput is not null) return;

            RemovePending(action);
            if (action.Output is { } o)
            {
                var outKey = o.Id + TempSuffix;
                if (_toCollect.TryGetValue(outKey, out var pc) && pc.Remaining > 0) _readyToRename.Add(outKey);
                else RenameTemporaryOutput(outKey);
            }
            if (action.YieldToInput is not null && _toCollect.TryGetValue(recKey, out var r)) RemoveCollection(recKey, r);
            _enumPositions.Remove(enumKey);
            RemoveValue(recKey);
        }
        else
        {
            SetValue(recKey, new List<object?>());
            AddToCollection(recKey, yieldToInputs);
        }
    }

    /// <summary>
    /// How many items a windowed for-each may unroll in this step: as many as the budget pays for, at least one while
    /// any budget is left, and one without budget when nothing it unrolled is still open (a nested for-each must be
    /// able to finish, or its parent's budget would never come back). A for-each with nested for-eaches goes one item
    /// at a time, depth first, and waits while one of those still has items to unroll: its chains then come in the
    /// order in which unrolling at once produces them.
    /// </summary>
    private int ItemsAllowed(GFor action, int cost, bool nested)
    {
        int budget = _unrollBudget;
        if (nested)
        {
            foreach (var f in _windowed)
            {
                if (f.Seq > action.Seq) { budget = 0; break; } // (created after it: one of its own, in practice)
            }
        }
        if (budget >= cost) return nested ? 1 : budget / cost;
        if (budget > 0) return 1;
        return _subActionsToWaitFor.TryGetValue(action.Id, out var wait) && wait.Remaining > 0 ? 0 : 1;
    }

    private static bool HasNestedForEach(IReadOnlyList<GAction> body)
    {
        for (int k = 0; k < body.Count; k++) if (body[k] is GFor) return true;
        return false;
    }

    private void AddWindowed(GFor action)
    {
        if (_windowedIds.Add(action.Id)) _windowed.Add(action);
    }

    private void RemoveWindowed(GFor action)
    {
        if (_windowedIds.Remove(action.Id)) _windowed.Remove(action);
    }

    /// <summary>Makes room for <paramref name="additional"/> more entries, growing at least geometrically.</summary>
    private static void Reserve<TValue>(Dictionary<string, TValue> table, int additional)
    {
        int needed = table.Count + additional, capacity = table.EnsureCapacity(0);
        if (needed > capacity) table.EnsureCapacity(Math.Max(needed, 2 * capacity));
    }

    private void RegisterSubActions(string forEachId, List<string> ids)
    {
        if (!_subActionsToWaitFor.TryGetValue(forEachId, out var wait))
            _subActionsToWaitFor[forEachId] = wait = new SubActionWait(forEachId);
        foreach (var id in ids)
        {
            ref var state = ref CollectionsMarshal.GetValueRefOrAddDefault(_actions, id, out _);
            if (state.Executed || state.IsWaitedForBy(wait)) continue; // already waited for: a set, as in Steep
            state.AddWait(wait);
            wait.Remaining++;
        }
        if (wait.Remaining == 0) _forEachesToMark.Add(forEachId);
    }

    /// <summary>Waits for the sub-actions of one unrolled item, to forget their executed marks when they are all done.</summary>
    private void RegisterItem(string forEachId, string[] ids)
    {
        var wait = new SubActionWait(forEachId) { ItemIds = ids };
        foreach (var id in ids)
        {
            ref var state = ref CollectionsMarshal.GetValueRefOrAddDefault(_actions, id, out _);
            if (state.Executed || state.IsWaitedForBy(wait)) continue;
            state.AddWait(wait);
            wait.Remaining++;
        }
        if (wait.Remaining == 0) ForgetExecuted(ids);
    }

    /// <summary>The ids each for-each still waits for (Steep's subActionsToWaitFor), for saving.</summary>
    private Dictionary<SubActionWait, List<string>> SubActionsToWaitForIds()
    {
        var result = new Dictionary<SubActionWait, List<string>>(ReferenceEqualityComparer.Instance);
        foreach (var (id, state) in _actions)
        {
            if (state.FirstWait is not { } first) continue;
            Add(id, first);
            if (state.MoreWaits is { } more) foreach (var wait in more) Add(id, wait);
        }
        return result;

        void Add(string id, SubActionWait wait)
        {
            if (!result.TryGetValue(wait, out var list)) result[wait] = list = [];
            list.Add(id);
        }
    }

    private static GVar Rename(GVar v, Dictionary<string, GVar> subst, int iteration)
    {
        var renamed = v with { Id = $"{v.Id}${iteration}" };
        subst[v.Id] = renamed;
        return renamed;
    }

    private static string RenameId(string id, Dictionary<string, GVar> subst, int iteration)
    {
        var renamed = new GVar($"{id}${iteration}", null);
        subst[id] = renamed;
        return renamed.Id;
    }

    private static IReadOnlyList<GOutput> RenameOutputs(IReadOnlyList<GOutput> outputs, Dictionary<string, GVar> subst, int iteration)
    {
        if (outputs.Count == 0) return [];
        var result = new GOutput[outputs.Count];
        for (int k = 0; k < result.Length; k++) result[k] = outputs[k] with { Var = Rename(outputs[k].Var, subst, iteration) };
        return result;
    }

    private static IReadOnlyList<GInput> SubstituteInputs(IReadOnlyList<GInput> inputs, Dictionary<string, GVar> subst)
    {
        if (inputs.Count == 0) return [];
        var result = new GInput[inputs.Count];
        for (int k = 0; k < result.Length; k++)
        {
            var i = inputs[k];
            result[k] = subst.TryGetValue(i.Var.Id, out var s) ? i with { Var = s } : i;
        }
        return result;
    }

    /// <summary>First pass: new ids for the action and its outputs (enumerators and outputs of nested for-eaches).</summary>
    private static GAction RenamePass(GAction a, Dictionary<string, GVar> subst, int iteration) => a switch
    {
        GExec e => new GExec
        {
            Id = RenameId(e.Id, subst, iteration), DependsOn = e.DependsOn, Service = e.Service, Inputs = e.Inputs,
            Outputs = RenameOutputs(e.Outputs, subst, iteration),
            Retries = e.Retries, Priority = e.Priority,
        },
        GFor f => new GFor
        {
            Id = RenameId(f.Id, subst, iteration), DependsOn = f.DependsOn, Input = f.Input,
            Enumerator = Rename(f.Enumerator, subst, iteration),
            Output = f.Output is null ? null : Rename(f.Output, subst, iteration),
            Actions = f.Actions.Select(x => RenamePass(x, subst, iteration)).ToList(),
            YieldToOutput = f.YieldToOutput, YieldToInput = f.YieldToInput,
        },
        _ => throw new InvalidOperationException(a.GetType().Name),
    };

    /// <summary>Second pass: inputs and dependsOn targets point at the renamed variables and actions.</summary>
    private static GAction SubstitutePass(GAction a, Dictionary<string, GVar> subst) => a switch
    {
        GExec e => new GExec
        {
            Id = e.Id, Service = e.Service, Outputs = e.Outputs, Retries = e.Retries, Priority = e.Priority,
            Inputs = SubstituteInputs(e.Inputs, subst),
            DependsOn = SubstituteIds(e.DependsOn, subst),
        },
        GFor f => new GFor
        {
            Id = f.Id, Enumerator = f.Enumerator, Output = f.Output,
            Input = subst.GetValueOrDefault(f.Input.Id) ?? f.Input,
            Actions = f.Actions.Select(x => SubstitutePass(x, subst)).ToList(),
            YieldToOutput = f.YieldToOutput is null ? null : subst.GetValueOrDefault(f.YieldToOutput.Id) ?? f.YieldToOutput,
            YieldToInput = f.YieldToInput is null ? null : subst.GetValueOrDefault(f.YieldToInput.Id) ?? f.YieldToInput,
            DependsOn = SubstituteIds(f.DependsOn, subst),
        },
        _ => throw new InvalidOperationException(a.GetType().Name),
    };

    private static IReadOnlyList<string> SubstituteIds(IReadOnlyList<string> ids, Dictionary<string, GVar> subst)
    {
        if (ids.Count == 0) return ids;
        var result = new string[ids.Count];
        for (int k = 0; k < result.Length; k++) result[k] = subst.TryGetValue(ids[k], out var s) ? s.Id : ids[k];
        return result;
    }

    // ---------------------------------------------------------------- phase 4: create process chains

    private IReadOnlyList<ProcessChain> CreateProcessChains()
    {
        List<GExec>? starts = null;
        foreach (var a in _dirty) if (a is GExec e && e.Pending) (starts ??= []).Add(e);
        if (starts is null)
        {
            CompactDirty();
            CompactRoots();
            return []; // nothing became ready (most steps of a large workflow): no allocation
        }
        foreach (var e in starts) _dirty.Remove(e);
        CompactDirty();
        starts.Sort((x, y) => x.Seq.CompareTo(y.Seq));

        var chains = new List<ProcessChain>();
        long visit = ++_visitStamp; // an action is visited in this step when its VisitStamp equals this
        var toRemove = new List<GExec>();
        var executableIds = _chainExecutableIds;
        var argumentValues = _chainArgumentValues;
        var capabilities = _chainCapabilities;
        foreach (var start in starts)
        {
            // already part of an earlier chain of this step (the usual case for all but a chain's first action)
            if (start.VisitStamp == visit) continue;
            List<Executable>? executables = null;
            int? actionPriority = null; // the highest of its actions' own (Steep 6), else the workflow's
            executableIds.Clear();
            argumentValues.Clear();
            capabilities.Clear();
            var next = start;
            while (next.VisitStamp != visit)
            {
                bool ready = true;
                for (int k = 0; k < next.DependsOn.Count; k++)
                {
                    var d = next.DependsOn[k];
                    if (!IsExecuted(d) && !executableIds.Contains(d)) { ready = false; break; }
                }
                if (ready)
                {
                    for (int k = 0; k < next.Inputs.Count; k++)
                    {
                        var v = next.Inputs[k].Var;
                        if (!HasValue(v) && !argumentValues.ContainsKey(v.Id)) { ready = false; break; }
                    }
                }
                if (!ready)
                {
                    // not executable now; unless it started the chain, it depends on something not yet visited
                    if (!ReferenceEquals(next, start)) next.VisitStamp = visit;
                    break;
                }
                // a consistency checker may keep the action out of this chain; it starts one of its own once it is ready
                if (executables is not null && _consistencyCheck is not null && !CanJoin(executables, next)) break;
                var exe = ToExecutable(next, capabilities, argumentValues);
                (executables ??= []).Add(exe);
                if (next.Priority is { } p && (actionPriority is null || p > actionPriority)) actionPriority = p;
                executableIds.Add(exe.Id);
                toRemove.Add(next);
                next.VisitStamp = visit;

                var successor = SingleSuccessor(next);
                if (successor is null) break; // none, or a fork: parallel chains
                next = successor;
            }
            if (executables is not null)
            {
                chains.Add(new ProcessChain
                {
                    Id = _ids.Next(), Executables = executables, RequiredCapabilities = capabilities.Count == 0 ? [] : capabilities.ToArray(),
                    Priority = actionPriority ?? Priority,
                });
            }
        }
        foreach (var a in toRemove) RemovePending(a);
        CompactRoots();
        return chains;
    }

    private bool CanJoin(List<Executable> executables, GExec action)
    {
        var inputs = new InputParameter[action.Inputs.Count];
        for (int k = 0; k < inputs.Length; k++) inputs[k] = new InputParameter { Id = action.Inputs[k].Id, Var = action.Inputs[k].Var.Id };
        var outputs = new OutputParameter[action.Outputs.Count];
        for (int k = 0; k < outputs.Length; k++)
        {
            var o = action.Outputs[k];
            outputs[k] = new OutputParameter { Id = o.Id, Var = o.Var.Id, Prefix = o.Prefix, Store = o.Store };
        }
        var model = new ExecuteAction
        {
            Id = action.Id, Service = action.Service, Inputs = inputs, Outputs = outputs, DependsOn = action.DependsOn,
            Retries = action.Retries, Priority = action.Priority,
        };
        try
        {
            return _consistencyCheck!(executables.AsReadOnly(), model);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not GeneratorException)
        {
            throw new GeneratorException(e.Message);
        }
    }

    private void CompactRoots()
    {
        if (_roots.Count > 64 && _pendingCount < _roots.Count / 2) _roots.RemoveAll(a => !a.Pending);
    }

    /// <summary>
    /// The action a chain continues with after <paramref name="action"/>: the one pending execute action that reads its
    /// outputs or depends on it; null if none. Where there are several, a successor that is also reached through another
    /// one (a join that waits for a sibling, e.g. <c>cp1 → cp2 → join</c> with <c>join</c> also reading <c>cp1</c>) is no
    /// reason to fork, as in Steep 6.9: if only one successor is left after dropping those, the chain continues with it.
    /// </summary>
    private GExec? SingleSuccessor(GExec action)
    {
        var candidates = _successorScratch;
        candidates.Clear();
        if (!AddSuccessors(action, candidates, MaxJoinCandidates)) return null;
        if (candidates.Count == 1) return candidates[0];
        if (candidates.Count == 0) return null;
        GExec? only = null;
        foreach (var c in candidates)
        {
            if (ReachedFromAnother(c, candidates)) continue;
            if (only is not null) return null; // a real fork: parallel chains
            only = c;
        }
        return only;
    }

    /// <summary>How many successors are examined for joins; beyond this an action forks without looking (bounds the cost).</summary>
    private const int MaxJoinCandidates = 16;

    /// <summary>How many actions one reachability search may visit; a search that gives up counts as "not reached".</summary>
    private const int MaxJoinSearch = 256;

    private readonly List<GExec> _successorScratch = new();

    /// <summary>
    /// Adds the pending execute actions that read an output of <paramref name="action"/> or depend on it (distinct);
    /// false, as soon as there are more than <paramref name="limit"/> (an action read by thousands forks without a search).
    /// </summary>
    private bool AddSuccessors(GExec action, List<GExec> into, int limit)
    {
        for (int k = 0; k < action.Outputs.Count; k++)
        {
            if (!_keys.TryGetValue(action.Outputs[k].Var.Id, out var entry)) continue;
            int readers = entry.ReaderCount;
            for (int i = 0; i < readers; i++)
            {
                if (entry.ReaderAt(i) is GExec e && e.Pending && !into.Contains(e))
                {
                    into.Add(e);
                    if (into.Count > limit) return false;
                }
            }
        }
        if (_dependents.TryGetValue(action.Id, out var deps))
        {
            foreach (var r in deps)
            {
                if (r is GExec e && e.Pending && !into.Contains(e))
                {
                    into.Add(e);
                    if (into.Count > limit) return false;
                }
            }
        }
        return true;
    }

    /// <summary>True when <paramref name="target"/> is reached, through pending execute actions, from another candidate.</summary>
    private bool ReachedFromAnother(GExec target, List<GExec> candidates)
    {
        var seen = new HashSet<GExec>();
        var work = new Stack<GExec>();
        foreach (var c in candidates) if (!ReferenceEquals(c, target)) work.Push(c);
        var next = new List<GExec>();
        while (work.Count > 0 && seen.Count < MaxJoinSearch)
        {
            var a = work.Pop();
            if (!seen.Add(a)) continue;
            next.Clear();
            AddSuccessors(a, next, MaxJoinSearch);
            foreach (var n in next)
            {
                if (ReferenceEquals(n, target)) return true;
                if (!seen.Contains(n)) work.Push(n);
            }
        }
        return false;
    }

    private Executable ToExecutable(GExec action, List<string> capabilities, Dictionary<string, string> argumentValues)
    {
        if (!_services.TryGetValue(action.Service, out var service))
            throw new GeneratorException($"Action '{action.Id}' uses service '{action.Service}', but there is no service with this ID");
        for (int k = 0; k < service.RequiredCapabilities.Count; k++)
        {
            var c = service.RequiredCapabilities[k];
            if (!capabilities.Contains(c)) capabilities.Add(c);
        }

        var arguments = new List<Argument>(service.Parameters.Count);
        // indexed loops: foreach over an IReadOnlyList allocates an enumerator, and this runs for every executable
        for (int p = 0; p < service.Parameters.Count; p++)
        {
            var sp = service.Parameters[p];
            int before = arguments.Count;
            if (sp.Type == ArgumentTypes.Output)
            {
                for (int k = 0; k < action.Outputs.Count; k++)
                {
                    var o = action.Outputs[k];
                    if (o.Id != sp.Id) continue;
                    var v = MakeOutput(sp, o);
                    argumentValues[o.Var.Id] = v;
                    arguments.Add(new Argument { Id = sp.Id, Label = sp.Label, Variable = new(o.Var.Id, v), Type = sp.Type, DataType = sp.DataType });
                }
            }
            else
            {
                for (int k = 0; k < action.Inputs.Count; k++)
                {
                    var i = action.Inputs[k];
                    if (i.Id != sp.Id) continue;
                    var value = i.Var.Value ?? MergeToDirectory(GetValue(i.Var.Id), sp)
                        ?? (argumentValues.TryGetValue(i.Var.Id, out var av) ? av : null)
                        ?? (sp.Default is null ? null : ValueText.Of(sp.Default))
                        ?? throw new GeneratorException($"Parameter '{i.Id}' of action '{action.Id}' does not have a value");
                    // the strings Flatten(value) yields, without an iterator per item (a join over 100,000 values); the
                    // variable's argument value is the last of them
                    string? last = null;
                    AddFlattened(sp, i.Var.Id, value, ref last);
                    if (last is not null) argumentValues[i.Var.Id] = last;
                }
            }
            int count = arguments.Count - before;
            if (count == 0 && sp.Cardinality is { Min: 1, Max: 1 } && sp.Type != ArgumentTypes.Output && sp.Default is not null)
            {
                arguments.Add(new Argument
                {
                    Id = sp.Id, Label = sp.Label, Variable = new(_ids.Next(), ValueText.Of(sp.Default)), Type = sp.Type, DataType = sp.DataType,
                });
                continue;
            }
            if (count < sp.Cardinality.Min || count > sp.Cardinality.Max)
            {
                throw new GeneratorException(
                    $"Illegal number of parameters in action '{action.Id}'. Parameter '{sp.Id}' of service '{service.Id}' " +
                    $"appears {count} times but its cardinality is defined as {sp.Cardinality}.");
            }
        }

        var runtimeArgs = service.RuntimeArgs.Count == 0 ? [] : service.RuntimeArgs.Select(r => new Argument
        {
            Id = _ids.Next(), Label = r.Label, Variable = new(r.Id, r.Value ?? ""), Type = ArgumentTypes.Input, DataType = r.DataType,
        }).ToList();
        return new Executable
        {
            Id = action.Id, Path = service.Path, ServiceId = service.Id, Arguments = arguments, Runtime = service.Runtime,
            RuntimeArgs = runtimeArgs, Retries = action.Retries ?? service.Retries,
        };

        void AddFlattened(ServiceParameter sp, string varId, object? v, ref string? last)
        {
            if (v is List<object?> list)
            {
                for (int n = 0; n < list.Count; n++) AddFlattened(sp, varId, list[n], ref last);
            }
            else if (v is not null)
            {
                var s = v as string ?? v.ToString() ?? "";
                arguments.Add(new Argument { Id = sp.Id, Label = sp.Label, Variable = new(varId, s), Type = sp.Type, DataType = sp.DataType });
                last = s;
            }
        }
    }

    private string MakeOutput(ServiceParameter sp, GOutput o)
    {
        var basePath = o.Store ? OutPath : TmpPath;
        if (o.Prefix is not { } prefix) return NormalizePath(string.Concat(basePath, "/", _ids.Next(), sp.FileSuffix));
        var p = prefix.StartsWith('/') ? prefix : basePath + "/" + prefix;
        return NormalizePath(string.Concat(p, _ids.Next(), sp.FileSuffix));
    }

    /// <summary>For a directory input fed a list of files: their common parent directory; otherwise the value itself.</summary>
    private static object? MergeToDirectory(object? value, ServiceParameter sp)
    {
        if (value is not List<object?> list || sp.Type != ArgumentTypes.Input || sp.DataType != DataTypes.Directory) return value;
        var files = Flatten(list).ToList();
        if (files.Count == 0) throw new GeneratorException($"Cannot merge empty list of files to directory for parameter '{sp.Id}'");
        var prefix = files[0];
        foreach (var f in files)
        {
            int n = 0;
            while (n < prefix.Length && n < f.Length && prefix[n] == f[n]) n++;
            prefix = prefix[..n];
        }
        int sep = prefix.LastIndexOf('/');
        return new List<object?> { sep < 0 ? "" : prefix[..sep] };
    }

    /// <summary>The strings of a generator value (a string or nested lists of strings), depth first.</summary>
    public static IEnumerable<string> Flatten(object? value)
    {
        if (value is List<object?> list)
        {
            foreach (var item in list)
                foreach (var s in Flatten(item)) yield return s;
        }
        else if (value is not null)
        {
            yield return value as string ?? value.ToString() ?? "";
        }
    }

    /// <summary>Collapses repeated slashes and resolves "." and ".." segments, keeping a trailing slash.</summary>
    internal static string NormalizePath(string path)
    {
        if (!path.Contains("//") && !path.Contains("/.") && !path.StartsWith("./")) return path;
        bool absolute = path.StartsWith('/');
        bool trailing = path.EndsWith('/');
        var parts = new List<string>();
        foreach (var seg in path.Split('/'))
        {
            if (seg.Length == 0 || seg == ".") continue;
            if (seg == ".." && parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
            else if (seg == ".." && absolute) continue;
            else parts.Add(seg);
        }
        var joined = (absolute ? "/" : "") + string.Join('/', parts);
        return trailing && parts.Count > 0 ? joined + "/" : joined;
    }

    // ---------------------------------------------------------------- conversion from the public model

    private GAction Convert(WorkflowAction a, Dictionary<string, GVar> vars, int? priority = null)
    {
        GVar Var(string? id) => id is null ? new GVar(_ids.Next(), null) : vars.TryGetValue(id, out var v) ? v : vars[id] = new GVar(id, null);
        var id = a.Id ?? _ids.Next();
        switch (a)
        {
            case ExecuteAction e:
                return new GExec
                {
                    Id = id, DependsOn = e.DependsOn, Service = e.Service, Retries = e.Retries, Priority = e.Priority ?? priority,
                    Inputs = e.Inputs.Concat(e.Parameters)
                        .Select(i => new GInput(i.Id, i.Var is null && i.Value is not null ? new GVar(_ids.Next(), ToValue(i.Value)) : Var(i.Var)))
                        .ToList(),
                    Outputs = e.Outputs.Select(o => new GOutput(o.Id, Var(o.Var), o.Prefix, o.Store)).ToList(),
                };
            case ForEachAction f:
                return new GFor
                {
                    Id = id, DependsOn = f.DependsOn, Input = Var(f.Input), Enumerator = Var(f.Enumerator),
                    Output = f.Output is null ? null : Var(f.Output),
                    Actions = f.Actions.Select(x => Convert(x, vars, f.Priority ?? priority)).ToList(),
                    YieldToOutput = f.YieldToOutput is null ? null : Var(f.YieldToOutput),
                    YieldToInput = f.YieldToInput is null ? null : Var(f.YieldToInput),
                };
            default:
                throw new GeneratorException($"Unknown action type '{a.Type}'");
        }
    }

    /// <summary>Converts a JSON value into the generator's value form: strings and lists.</summary>
    internal static object? ToValue(JsonNode? node) => node switch
    {
        null => null,
        JsonArray arr => arr.Select(ToValue).ToList(),
        _ => ValueText.Of(node),
    };
}
