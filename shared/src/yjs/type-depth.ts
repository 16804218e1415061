import { Invalid } from './bounded-reader';
import type { DocView } from './validate-update';

/** what a struct is */
export const Kind = { Gc: 0, Skip: 1, Item: 2 } as const;
export type Kind = (typeof Kind)[keyof typeof Kind];
/** how an item names its parent: a root name, a parent id, or a neighbour's (origin) parent */
export const Parent = { Root: 0, Id: 1, Sibling: 2 } as const;
export type Parent = (typeof Parent)[keyof typeof Parent];

/** What the depth check needs of every struct; kept in flat arrays (a 1 MiB update may hold 500k structs). */
export class StructTable {
  readonly client: number[] = [];
  readonly clock: number[] = [];
  readonly length: number[] = [];
  readonly kind: Kind[] = [];
  readonly isType: boolean[] = [];
  readonly parent: Parent[] = [];
  readonly refClient: number[] = [];
  readonly refClock: number[] = [];
  /** per client: index range of its structs (ascending clocks) */
  readonly sections = new Map<number, { start: number; end: number }>();
  types = 0;

  add(client: number, clock: number, length: number, kind: Kind, isType = false, parent: Parent = Parent.Root, refClient = 0, refClock = 0): void {
    this.client.push(client);
    this.clock.push(clock);
    this.length.push(length);
    this.kind.push(kind);
    this.isType.push(isType);
    this.parent.push(parent);
    this.refClient.push(refClient);
    this.refClock.push(refClock);
    if (isType) this.types++;
  }

  /** index of the struct of this update covering (client, clock), or -1 */
  find(client: number, clock: number): number {
    const section = this.sections.get(client);
    if (!section) return -1;
    let lo = section.start;
    let hi = section.end - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const start = this.clock[mid] as number;
      if (clock < start) hi = mid - 1;
      else if (clock >= start + (this.length[mid] as number)) lo = mid + 1;
      else return mid;
    }
    return -1;
  }
}

const UNRESOLVED = -1;
const PENDING = -2;
const VISITING = -3;

/**
 * Refuses shared types nested deeper than `maxDepth`. A type item's depth is one more than its
 * parent's; the parent is named (root name or parent id) or, for an item with an origin, the
 * same as that neighbour's. Neighbours and parents are looked up in the doc first (yjs skips
 * structs the doc already has), then in the update. Iterative, each struct resolved once.
 * With a doc lookup, a type whose parent cannot be found is refused: it would be kept pending
 * and integrated later without this check.
 */
export function checkTypeDepth(table: StructTable, maxDepth: number, view: DocView | undefined): void {
  const n = table.client.length;
  // container depth of each struct: >= 0 known, or one of the markers above
  const depth = new Float64Array(n).fill(PENDING);
  const stack: number[] = [];
  const resolve = (index: number): number => {
    stack.push(index);
    while (stack.length > 0) {
      const i = stack[stack.length - 1] as number;
      if ((depth[i] as number) >= 0 || depth[i] === UNRESOLVED) {
        stack.pop();
        continue;
      }
      const settle = (value: number) => {
        depth[i] = value;
        stack.pop();
      };
      if (table.kind[i] !== Kind.Item || table.parent[i] === Parent.Root) {
        settle(0);
        continue;
      }
      const viaParent = table.parent[i] === Parent.Id;
      const refClient = table.refClient[i] as number;
      const refClock = table.refClock[i] as number;
      const known = view?.lookup(refClient, refClock);
      if (known) {
        settle(viaParent ? (known.isType ? known.parentDepth + 1 : 0) : known.parentDepth);
        continue;
      }
      const target = table.find(refClient, refClock);
      if (target === -1 || table.kind[target] === Kind.Skip) {
        settle(view ? UNRESOLVED : 0);
        continue;
      }
      // A GC neighbour or parent turns the item into GC: no type comes of it.
      if (table.kind[target] === Kind.Gc) {
        settle(0);
        continue;
      }
      const targetDepth = depth[target] as number;
      if (targetDepth === VISITING) {
        settle(UNRESOLVED); // a cycle: yjs keeps these pending forever
      } else if (targetDepth === PENDING) {
        depth[i] = VISITING;
        stack.push(target);
      } else if (targetDepth === UNRESOLVED) {
        settle(UNRESOLVED);
      } else {
        settle(viaParent ? (table.isType[target] ? targetDepth + 1 : 0) : targetDepth);
      }
    }
    return depth[index] as number;
  };
  for (let i = 0; i < n; i++) {
    if (!table.isType[i]) continue;
    // yjs ignores structs the doc already has; their depth is the doc's business.
    if (view?.lookup(table.client[i] as number, table.clock[i] as number)) continue;
    const parentDepth = resolve(i);
    if (parentDepth === UNRESOLVED) throw new Invalid('nested type with an unknown parent');
    if (parentDepth + 1 > maxDepth) throw new Invalid('types nested too deeply');
  }
}
