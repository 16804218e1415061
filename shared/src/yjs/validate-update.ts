import type { Verdict } from '../protocol/verdict';
import { BoundedReader, Invalid, parseBoundedJson, verdictOf } from './bounded-reader';
import { checkTypeDepth, Kind, Parent, StructTable } from './type-depth';

/**
 * A structural validator for Yjs v1 updates, run before `Y.applyUpdate` sees a client's bytes.
 *
 * It mirrors the reading logic of yjs 13.6 (`readClientsStructRefs`, `readItemContent`,
 * `readDeleteSet`) with every read bounds-checked and every count capped by the bytes left, so it
 * runs in linear time and never throws. On top of well-formedness it refuses what yjs would read
 * but then choke on, found by fuzzing: counts that make yjs pre-allocate (`new Array(n)`), a
 * reference to a later clock of the item's own client (yjs throws half-way through integrating,
 * leaving the update partly applied), deep nesting of shared types or values (deleting or
 * serializing them overflows the stack), many root types (encoding scans all root names for every
 * item) and many subdocuments (each is a whole Y.Doc). Given a `DocView` it also checks the update
 * against the doc it is for (`update-against-doc.ts`).
 */

export interface UpdateLimits {
  /** nesting of Any values and of JSON strings (embeds, formats, legacy JSON content) */
  maxValueDepth: number;
  /** nesting of shared types: a map in an array in a map … */
  maxTypeDepth: number;
  /** distinct root type names (`doc.get(name)`), per update and per doc */
  maxRootTypes: number;
  /** subdocuments (`ContentDoc`), per update and per doc */
  maxSubdocs: number;
}

export const DEFAULT_UPDATE_LIMITS: UpdateLimits = { maxValueDepth: 100, maxTypeDepth: 100, maxRootTypes: 64, maxSubdocs: 16 };

/** Where an item of the target doc sits: depth of its parent type (root = 0) and whether it is a type. */
export interface KnownItem {
  parentDepth: number;
  isType: boolean;
}

export type Id = readonly [client: number, clock: number];

/** What an item of the update says about where it belongs. */
export interface ItemPlacement {
  client: number;
  clock: number;
  origin: Id | null;
  rightOrigin: Id | null;
  parentKey: string | null;
  parentId: Id | null;
  parentSub: string | null;
}

/** The doc an update is about to be applied to, as the validator needs to see it. */
export interface DocView {
  /** the item at this id; `undefined` when the doc does not have it (yet) */
  lookup(client: number, clock: number): KnownItem | undefined;
  /** the doc's next clock for this client */
  state(client: number): number;
  /** An item that starts below `state(client)` and ends above it: why yjs cannot integrate it safely, or null. */
  overlapProblem(item: ItemPlacement): string | null;
}

export interface UpdateSummary {
  /** root type names the update refers to */
  rootTypes: string[];
  /** subdocuments it creates */
  subdocs: number;
}

export type { Verdict };

const BIT8 = 0x80; // origin present
const BIT7 = 0x40; // right origin present
const BIT6 = 0x20; // parentSub present
const BITS5 = 0x1f; // content ref
const GC_REF = 0;
const SKIP_REF = 10;
const TYPE_REF = 7;
const DOC_REF = 9;
/** typeRefs of yjs: YArray … YXmlText; XmlElement (3) and XmlHook (5) carry a node name */
const TYPE_REF_COUNT = 7;
const ANY_OBJECT = 118;

/**
 * Validates one v1 update: on its own, or, with a `view` of the doc it is for (see
 * `validateUpdateFor`), also against that doc's content.
 */
export function validateUpdate(update: Uint8Array, limits: UpdateLimits = DEFAULT_UPDATE_LIMITS, view?: DocView): Verdict<UpdateSummary> {
  return verdictOf(() => {
    const reader = new BoundedReader(update);
    const table = new StructTable();
    const rootTypes = new Set<string>();
    const subdocs = readStructs(reader, table, rootTypes, limits, view);
    readDeleteSet(reader);
    if (reader.left > 0) throw new Invalid('trailing bytes');
    if (rootTypes.size > limits.maxRootTypes) throw new Invalid('too many root types');
    if (subdocs > limits.maxSubdocs) throw new Invalid('too many subdocuments');
    if (table.types > 0) checkTypeDepth(table, limits.maxTypeDepth, view);
    return { rootTypes: [...rootTypes], subdocs };
  });
}

/** A y-protocols state vector (sync step 1): count, then (client, clock) pairs. */
export function validateStateVector(stateVector: Uint8Array): Verdict {
  return verdictOf(() => {
    const reader = new BoundedReader(stateVector);
    const n = reader.count(2, 'client');
    for (let i = 0; i < n; i++) {
      reader.varUint();
      reader.varUint();
    }
    if (reader.left > 0) throw new Invalid('trailing bytes');
    return {};
  });
}

function readStructs(reader: BoundedReader, table: StructTable, rootTypes: Set<string>, limits: UpdateLimits, view: DocView | undefined): number {
  let subdocs = 0;
  const clients = reader.count(3, 'client');
  for (let c = 0; c < clients; c++) {
    const structs = reader.varUint();
    const client = reader.varUint();
    let clock = reader.varUint();
    // Every struct takes at least two bytes (info byte and a length or parent info).
    if (structs * 2 > reader.left) throw new Invalid('struct count exceeds the bytes left');
    if (table.sections.has(client)) throw new Invalid('client listed twice');
    const start = table.client.length;
    for (let s = 0; s < structs; s++) {
      const info = reader.uint8();
      const ref = info & BITS5;
      if (ref === GC_REF || ref === SKIP_REF) {
        if (info !== ref) throw new Invalid('flags on a GC or skip struct');
        const len = reader.varUint();
        if (len === 0) throw new Invalid('empty struct');
        table.add(client, clock, len, ref === GC_REF ? Kind.Gc : Kind.Skip);
        clock = advance(clock, len);
        continue;
      }
      // An id at or after the item's own clock does not exist yet: yjs throws half-way.
      const readId = (what: string): Id => {
        const id = [reader.varUint(), reader.varUint()] as const;
        if (id[0] === client && id[1] >= clock) throw new Invalid(`${what} after the item`);
        return id;
      };
      const placement: ItemPlacement = { client, clock, origin: null, rightOrigin: null, parentKey: null, parentId: null, parentSub: null };
      if (info & BIT8) placement.origin = readId('origin');
      if (info & BIT7) placement.rightOrigin = readId('right origin');
      if ((info & (BIT8 | BIT7)) === 0) {
        const parentInfo = reader.varUint();
        if (parentInfo === 1) {
          placement.parentKey = reader.varString();
          rootTypes.add(placement.parentKey);
          if (rootTypes.size > limits.maxRootTypes) throw new Invalid('too many root types');
        } else if (parentInfo === 0) {
          placement.parentId = readId('parent');
        } else {
          throw new Invalid('bad parent info');
        }
        if (info & BIT6) placement.parentSub = reader.varString();
      }
      const length = readContent(reader, ref, limits.maxValueDepth);
      if (length === 0) throw new Invalid('empty item');
      if (ref === DOC_REF && ++subdocs > limits.maxSubdocs) throw new Invalid('too many subdocuments');
      // yjs integrates the unknown rest of a partly known item after the doc's last struct of
      // that client, without checking that it is the same item's (see DocView.overlapProblem).
      if (view) {
        const state = view.state(client);
        if (clock < state && state < clock + length) {
          const problem = view.overlapProblem(placement);
          if (problem) throw new Invalid(problem);
        }
      }
      const ref0 = placement.origin ?? placement.rightOrigin ?? placement.parentId;
      const parent: Parent = placement.parentKey !== null ? Parent.Root : placement.parentId ? Parent.Id : Parent.Sibling;
      table.add(client, clock, length, Kind.Item, ref === TYPE_REF, parent, ref0?.[0] ?? 0, ref0?.[1] ?? 0);
      clock = advance(clock, length);
    }
    table.sections.set(client, { start, end: table.client.length });
  }
  return subdocs;
}

/** Reads an item's content by its ref number (yjs `contentRefs`) and returns its length. */
function readContent(reader: BoundedReader, ref: number, maxDepth: number): number {
  switch (ref) {
    case 1: // ContentDeleted
      return reader.varUint();
    case 2: {
      // ContentJSON: legacy, one JSON string per element ('undefined' allowed)
      const n = reader.count(1, 'JSON value');
      for (let i = 0; i < n; i++) {
        const text = reader.varString();
        if (text !== 'undefined') parseBoundedJson(text, maxDepth);
      }
      return n;
    }
    case 3: // ContentBinary
      reader.varBytes();
      return 1;
    case 4: // ContentString: length in UTF-16 code units, as yjs counts it
      return reader.varString().length;
    case 5: // ContentEmbed
      parseBoundedJson(reader.varString(), maxDepth);
      return 1;
    case 6: // ContentFormat: key, JSON value
      reader.varString();
      parseBoundedJson(reader.varString(), maxDepth);
      return 1;
    case TYPE_REF: {
      const typeRef = reader.varUint();
      if (typeRef >= TYPE_REF_COUNT) throw new Invalid('unknown type ref');
      if (typeRef === 3 || typeRef === 5) reader.varString(); // XmlElement / XmlHook node name
      return 1;
    }
    case 8: {
      // ContentAny
      const n = reader.count(1, 'value');
      for (let i = 0; i < n; i++) readAny(reader, maxDepth);
      return n;
    }
    case DOC_REF:
      reader.varString(); // guid
      // yjs spreads the options into `new Doc(…)` and reads `opts.shouldLoad`: an object only.
      if (reader.peekUint8() !== ANY_OBJECT) throw new Invalid('subdocument options not an object');
      readAny(reader, maxDepth);
      return 1;
    default:
      throw new Invalid('unknown content ref');
  }
}

/** lib0 `readAny` with a nesting bound (its tags count down from 127). */
function readAny(reader: BoundedReader, depthLeft: number): void {
  const tag = reader.uint8();
  switch (tag) {
    case 127: // undefined
    case 126: // null
    case 121: // false
    case 120: // true
      return;
    case 125: // integer
      return reader.varInt();
    case 124: // float32
      return reader.skip(4);
    case 123: // float64
    case 122: // bigint64
      return reader.skip(8);
    case 119: // string
      reader.varString();
      return;
    case 118: {
      // object: count, then key and value
      if (depthLeft <= 0) throw new Invalid('value nested too deeply');
      const n = reader.count(2, 'key');
      for (let i = 0; i < n; i++) {
        reader.varString();
        readAny(reader, depthLeft - 1);
      }
      return;
    }
    case 117: {
      // array
      if (depthLeft <= 0) throw new Invalid('value nested too deeply');
      const n = reader.count(1, 'element');
      for (let i = 0; i < n; i++) readAny(reader, depthLeft - 1);
      return;
    }
    case 116: // Uint8Array
      reader.varBytes();
      return;
    default:
      throw new Invalid('unknown value tag');
  }
}

/** yjs `readDeleteSet`: clients, then per client (clock, len) ranges. */
function readDeleteSet(reader: BoundedReader): void {
  const clients = reader.count(2, 'delete set client');
  for (let c = 0; c < clients; c++) {
    reader.varUint(); // client
    const ranges = reader.count(2, 'delete range');
    for (let r = 0; r < ranges; r++) {
      const clock = reader.varUint();
      const len = reader.varUint();
      if (len === 0) throw new Invalid('empty delete range');
      advance(clock, len);
    }
  }
}

function advance(clock: number, len: number): number {
  const next = clock + len;
  if (next > Number.MAX_SAFE_INTEGER) throw new Invalid('clock out of range');
  return next;
}
