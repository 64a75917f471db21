/**
 * A topological order kept up to date as edges arrive, which makes the cycle check cheap.
 *
 * While the graph is acyclic, every edge runs from a lower position to a higher one. A new
 * edge that already does so cannot close a cycle: O(1), the common case. Otherwise only the
 * nodes whose positions lie between the edge's ends can be on a cycle, so the search stays
 * inside that window, and when no cycle is found the window is reordered (the dynamic
 * topological sort of Pearce and Kelly, 2006). The search is breadth-first, so the cycle it
 * names is a shortest one through the new edge.
 */
import type { Adjacency } from './adjacency';
import type { WalkScratch } from './walk';

export class TopoOrder {
  /** Position of each node; any integers, only their order matters. */
  position = new Int32Array(16);
  private lowest = 0;
  private highest = -1;

  /**
   * Places a new node last (or first), which is always valid: it has no edges yet. A node
   * that arrives as a parent goes first, so its edge needs no reordering.
   */
  addNode(node: number, first = false): void {
    if (node >= this.position.length) {
      const position = new Int32Array(Math.max(node + 1, this.position.length * 2));
      position.set(this.position);
      this.position = position;
    }
    this.position[node] = first ? --this.lowest : ++this.highest;
  }

  /**
   * Prepares the order for a new edge `from -> to` not yet in `adjacency`. Returns null when
   * the edge is safe (the order now accepts it), or the cycle it would close as nodes
   * `[from, to, ..., from]`.
   */
  admit(adjacency: Adjacency, scratch: WalkScratch, from: number, to: number): number[] | null {
    if (from === to) return [from, to];
    const upper = this.position[from];
    const lower = this.position[to];
    if (lower > upper) return null;

    const reachable = this.search(adjacency, scratch, to, true, upper, from);
    if (reachable === null) return cycleThrough(adjacency, scratch, from, to);
    const reaching = this.search(adjacency, scratch, from, false, lower, -1) as number[];
    this.reorder(reaching, reachable);
    return null;
  }

  /**
   * Recomputes the order from scratch (Kahn's algorithm). Returns null when the graph is
   * acyclic, or one cycle as nodes `[a, b, ..., a]`.
   */
  rebuild(adjacency: Adjacency, scratch: WalkScratch): number[] | null {
    const n = adjacency.nodeCount;
    const remaining = new Int32Array(n);
    for (let slot = 0; slot < adjacency.slotCount; slot++) {
      if (adjacency.edgeAlive[slot]) remaining[adjacency.edgeTo[slot]]++;
    }

    this.lowest = 0;
    this.highest = -1;
    const queue = new Int32Array(n);
    let tail = 0;
    for (let node = 0; node < n; node++) if (remaining[node] === 0) queue[tail++] = node;
    for (let head = 0; head < tail; head++) {
      this.addNode(queue[head]);
      adjacency.forEachEdge(queue[head], 'out', (slot) => {
        const child = adjacency.edgeTo[slot];
        if (--remaining[child] === 0) queue[tail++] = child;
      });
    }
    if (tail === n) return null;

    const stuck = remaining.findIndex((count) => count > 0);
    return this.cycleAmong(adjacency, scratch, remaining, stuck);
  }

  /**
   * Breadth-first search from `start` that stays inside the window: forward it keeps nodes
   * positioned at most `bound`, backward at least `bound`. Returns the nodes found, or null
   * when `target` was reached (a cycle).
   */
  private search(
    adjacency: Adjacency,
    scratch: WalkScratch,
    start: number,
    forward: boolean,
    bound: number,
    target: number,
  ): number[] | null {
    const epoch = scratch.begin(adjacency.nodeCount);
    const { stamp, via } = scratch;
    const position = this.position;
    const found = [start];
    stamp[start] = epoch;
    via[start] = -1;

    for (let head = 0; head < found.length; head++) {
      let hit = false;
      adjacency.forEachEdge(found[head], forward ? 'out' : 'in', (slot) => {
        if (hit) return;
        const other = forward ? adjacency.edgeTo[slot] : adjacency.edgeFrom[slot];
        if (stamp[other] === epoch) return;
        if (forward ? position[other] > bound : position[other] < bound) return;
        stamp[other] = epoch;
        via[other] = slot;
        if (other === target) hit = true;
        else found.push(other);
      });
      if (hit) return null;
    }
    return found;
  }

  /** Gives the nodes of both searches the positions they held, ancestors side first. */
  private reorder(reaching: number[], reachable: number[]): void {
    const byPosition = (a: number, b: number) => this.position[a] - this.position[b];
    reaching.sort(byPosition);
    reachable.sort(byPosition);
    const nodes = reaching.concat(reachable);
    const slots = nodes.map((node) => this.position[node]).sort((a, b) => a - b);
    for (let i = 0; i < nodes.length; i++) {
      this.position[nodes[i]] = slots[i];
    }
  }

  /** Finds a cycle among nodes Kahn's algorithm could not place, walking parent links. */
  private cycleAmong(
    adjacency: Adjacency,
    scratch: WalkScratch,
    remaining: Int32Array,
    start: number,
  ): number[] {
    const epoch = scratch.begin(adjacency.nodeCount);
    const trail: number[] = [];
    let node = start;
    while (scratch.stamp[node] !== epoch) {
      scratch.stamp[node] = epoch;
      trail.push(node);
      let parent = -1;
      adjacency.forEachEdge(node, 'in', (slot) => {
        if (parent < 0 && remaining[adjacency.edgeFrom[slot]] > 0) {
          parent = adjacency.edgeFrom[slot];
        }
      });
      node = parent;
    }

    const cycle = trail.slice(trail.indexOf(node)).reverse();
    return [...cycle, cycle[0]];
  }
}

/** After a forward search reached `from`: the cycle the edge `from -> to` would close. */
function cycleThrough(
  adjacency: Adjacency,
  scratch: WalkScratch,
  from: number,
  to: number,
): number[] {
  const backwards = [from];
  for (let node = from; node !== to;) {
    node = adjacency.edgeFrom[scratch.via[node]];
    backwards.push(node);
  }
  return [from, ...backwards.reverse()];
}
