/**
 * Compact adjacency for the lineage graph: edges live in typed-array columns indexed by an
 * edge slot, and each node's out- and in-edges are found through a CSR layout (per
 * direction: an offsets array, the neighbour of each entry, and the entry's edge slot).
 *
 * CSR cannot take an insertion in place, so edges added after the last compaction sit in
 * small per-node lists beside it. A removed edge's CSR entries get the neighbour -1, so
 * walks skip them without looking the edge up. When the pending lists and removals grow
 * past a share of the graph, the CSR is rebuilt from the live edges: O(V + E), so the cost
 * per change stays constant on average.
 */

/** Rebuild the CSR once pending changes exceed this share of the live edges (or 1,024). */
const COMPACT_SHARE = 0.25;
const COMPACT_MIN = 1024;

function grownInt32(array: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= array.length) return array;
  const next = new Int32Array(Math.max(need, array.length * 2, 16));
  next.set(array);
  return next;
}

function grownUint8(array: Uint8Array<ArrayBuffer>, need: number): Uint8Array<ArrayBuffer> {
  if (need <= array.length) return array;
  const next = new Uint8Array(Math.max(need, array.length * 2, 16));
  next.set(array);
  return next;
}

export class Adjacency {
  /** Per edge slot: parent node, child node, relation index, 1 while the edge is live. */
  edgeFrom = new Int32Array(16);
  edgeTo = new Int32Array(16);
  edgeRelation = new Uint8Array(16);
  edgeAlive = new Uint8Array(16);
  /** Slots handed out so far (live and removed). */
  slotCount = 0;
  liveCount = 0;

  /** Nodes known; nodes at or past `csrNodes` have no CSR range yet. */
  nodeCount = 0;
  csrNodes = 0;
  /** Slots handed out when the CSR was last built; later slots are only in pending lists. */
  csrSlots = 0;
  /** Entries of node `n` are `[outStart[n], outStart[n + 1])`; `outNodes` is -1 if removed. */
  outStart = new Int32Array(1);
  outNodes = new Int32Array(0);
  outSlots = new Int32Array(0);
  inStart = new Int32Array(1);
  inNodes = new Int32Array(0);
  inSlots = new Int32Array(0);

  /** Edges added since the last compaction, per node; `undefined` for most nodes. */
  outExtra: (number[] | undefined)[] = [];
  inExtra: (number[] | undefined)[] = [];
  /** Entries in the pending lists; walks skip looking at them when there are none. */
  extraCount = 0;
  private pending = 0;

  /** Makes room for one more node and returns its index. */
  addNode(): number {
    this.outExtra.push(undefined);
    this.inExtra.push(undefined);
    return this.nodeCount++;
  }

  /**
   * Loads many edges at once (the start-up path): columns of parents, children and relation
   * indices, all live. Replaces whatever edges were there.
   */
  load(from: Int32Array, to: Int32Array, relation: Uint8Array, count: number): void {
    this.ensureSlots(count);
    this.edgeFrom.set(from.subarray(0, count));
    this.edgeTo.set(to.subarray(0, count));
    this.edgeRelation.set(relation.subarray(0, count));
    this.edgeAlive.fill(1, 0, count);
    this.edgeAlive.fill(0, count);
    this.slotCount = count;
    this.liveCount = count;
    this.compact();
  }

  /** Records a new live edge and returns its slot. */
  addEdge(from: number, to: number, relation: number): number {
    const slot = this.slotCount++;
    this.ensureSlots(this.slotCount);
    this.edgeFrom[slot] = from;
    this.edgeTo[slot] = to;
    this.edgeRelation[slot] = relation;
    this.edgeAlive[slot] = 1;
    this.liveCount++;
    (this.outExtra[from] ??= []).push(slot);
    (this.inExtra[to] ??= []).push(slot);
    this.extraCount++;
    this.changed();
    return slot;
  }

  /** Marks an edge removed; its slot keeps the ends so `revive` can bring it back. */
  kill(slot: number): void {
    if (!this.edgeAlive[slot]) return;
    this.edgeAlive[slot] = 0;
    this.liveCount--;
    const out = this.locate(slot, this.edgeFrom[slot], this.outStart, this.outSlots);
    if (out >= 0) this.outNodes[out] = -1;
    const into = this.locate(slot, this.edgeTo[slot], this.inStart, this.inSlots);
    if (into >= 0) this.inNodes[into] = -1;
    this.changed();
  }

  /** Brings a removed edge back, into its old CSR entries when it still has them. */
  revive(slot: number): void {
    if (this.edgeAlive[slot]) return;
    this.edgeAlive[slot] = 1;
    this.liveCount++;
    const from = this.edgeFrom[slot];
    const to = this.edgeTo[slot];
    const out = this.locate(slot, from, this.outStart, this.outSlots);
    if (out >= 0) this.outNodes[out] = to;
    else if (!this.outExtra[from]?.includes(slot)) (this.outExtra[from] ??= []).push(slot);
    const into = this.locate(slot, to, this.inStart, this.inSlots);
    if (into >= 0) this.inNodes[into] = from;
    else if (!this.inExtra[to]?.includes(slot)) (this.inExtra[to] ??= []).push(slot);
    if (out < 0) this.extraCount++;
    this.changed();
  }

  /** Rebuilds the CSR from the live edges and clears the pending lists. */
  compact(): void {
    const n = this.nodeCount;
    const outStart = new Int32Array(n + 1);
    const inStart = new Int32Array(n + 1);
    for (let slot = 0; slot < this.slotCount; slot++) {
      if (!this.edgeAlive[slot]) continue;
      outStart[this.edgeFrom[slot] + 1]++;
      inStart[this.edgeTo[slot] + 1]++;
    }

    for (let i = 0; i < n; i++) {
      outStart[i + 1] += outStart[i];
      inStart[i + 1] += inStart[i];
    }

    const live = this.liveCount;
    const [outNodes, outSlots] = [new Int32Array(live), new Int32Array(live)];
    const [inNodes, inSlots] = [new Int32Array(live), new Int32Array(live)];
    const outFill = outStart.slice(0, n);
    const inFill = inStart.slice(0, n);
    for (let slot = 0; slot < this.slotCount; slot++) {
      if (!this.edgeAlive[slot]) continue;
      const from = this.edgeFrom[slot];
      const to = this.edgeTo[slot];
      outNodes[outFill[from]] = to;
      outSlots[outFill[from]++] = slot;
      inNodes[inFill[to]] = from;
      inSlots[inFill[to]++] = slot;
    }

    Object.assign(this, { outStart, outNodes, outSlots, inStart, inNodes, inSlots });
    this.csrNodes = n;
    this.csrSlots = this.slotCount;
    this.outExtra.fill(undefined);
    this.inExtra.fill(undefined);
    this.extraCount = 0;
    this.pending = 0;
  }

  /** Calls `visit` with the slot of every live edge leaving (`out`) or entering `node`. */
  forEachEdge(node: number, direction: 'out' | 'in', visit: (slot: number) => void): void {
    const outward = direction === 'out';
    const start = outward ? this.outStart : this.inStart;
    const nodes = outward ? this.outNodes : this.inNodes;
    const slots = outward ? this.outSlots : this.inSlots;
    if (node < this.csrNodes) {
      for (let k = start[node]; k < start[node + 1]; k++) if (nodes[k] >= 0) visit(slots[k]);
    }

    const extra = outward ? this.outExtra[node] : this.inExtra[node];
    if (extra) for (const slot of extra) if (this.edgeAlive[slot]) visit(slot);
  }

  /** The CSR entry of `slot` among `node`'s entries, or -1 when it has none. */
  private locate(slot: number, node: number, start: Int32Array, slots: Int32Array): number {
    if (node >= this.csrNodes || slot >= this.csrSlots) return -1;
    for (let k = start[node]; k < start[node + 1]; k++) if (slots[k] === slot) return k;
    return -1;
  }

  private changed(): void {
    this.pending++;
    if (this.pending > Math.max(COMPACT_MIN, this.liveCount * COMPACT_SHARE)) this.compact();
  }

  private ensureSlots(need: number): void {
    this.edgeFrom = grownInt32(this.edgeFrom, need);
    this.edgeTo = grownInt32(this.edgeTo, need);
    this.edgeRelation = grownUint8(this.edgeRelation, need);
    this.edgeAlive = grownUint8(this.edgeAlive, need);
  }
}
