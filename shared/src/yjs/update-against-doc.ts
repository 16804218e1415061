import * as Y from 'yjs';
import { DEFAULT_UPDATE_LIMITS, validateUpdate, type DocView, type Id, type ItemPlacement, type UpdateLimits, type UpdateSummary, type Verdict } from './validate-update';

/**
 * Validates an update against the doc it is about to be applied to: ids it refers to are looked
 * up in the doc (so type nesting cannot grow past the limit over several updates), partly known
 * items must continue what the doc has, and the doc's root types and subdocuments stay within
 * the limits.
 */
export function validateUpdateFor(doc: Y.Doc, update: Uint8Array, limits: UpdateLimits = DEFAULT_UPDATE_LIMITS): Verdict<UpdateSummary> {
  const verdict = validateUpdate(update, limits, docView(doc, limits.maxTypeDepth));
  if (!verdict.ok) return verdict;
  const newRootTypes = verdict.rootTypes.filter((name) => !doc.share.has(name)).length;
  if (doc.share.size + newRootTypes > limits.maxRootTypes) return { ok: false, reason: 'too many root types in the document' };
  if (doc.subdocs.size + verdict.subdocs > limits.maxSubdocs) return { ok: false, reason: 'too many subdocuments in the document' };
  return verdict;
}

type Struct = Y.Item | Y.GC;

function docView(doc: Y.Doc, maxDepth: number): DocView {
  const { store } = doc;
  const state = (client: number) => Y.getState(store, client);
  const structAt = (client: number, clock: number): Struct | undefined => {
    if (clock >= state(client)) return undefined;
    try {
      return Y.getItem(store, Y.createID(client, clock));
    } catch {
      return undefined;
    }
  };
  const structAtId = (id: Id) => structAt(id[0], id[1]);
  return {
    state,
    lookup: (client, clock) => {
      const struct = structAt(client, clock);
      if (!struct) return undefined;
      if (!(struct instanceof Y.Item)) return { parentDepth: 0, isType: false };
      let parentDepth = 0;
      let type = typeOf(struct.parent);
      while (type?._item && parentDepth <= maxDepth) {
        parentDepth++;
        type = typeOf(type._item.parent);
      }
      return { parentDepth, isType: struct.content instanceof Y.ContentType };
    },
    /**
     * yjs (`Item.integrate` with an offset) puts the unknown rest of a partly known item right
     * after the doc's struct at `state − 1`, in the parent the update names. A stock client only
     * ever re-sends the same item, so that struct is its known part, in the same parent. Anything
     * else makes yjs throw half-way (a GC struct there) or link the item into a list that is not
     * its parent's (a corrupt doc that diverges from the clients).
     */
    overlapProblem: (item) => {
      const claimed = claimedParent(item, structAtId, doc);
      if (claimed === 'unknown') return 'partly known item refers to content the document lacks';
      if (claimed === null) return null; // yjs turns the item into a GC struct
      const previous = structAt(item.client, state(item.client) - 1);
      if (!(previous instanceof Y.Item)) return 'partly known item continues collected content';
      if (previous.parent !== claimed.parent || previous.parentSub !== claimed.parentSub) return 'partly known item continues another parent';
      return null;
    },
  };
}

const typeOf = (parent: Y.Item['parent']): Y.AbstractType<unknown> | null => (parent instanceof Y.AbstractType ? parent : null);

/** The parent yjs derives for an item in `Item.getMissing` (compared by identity only); null if it becomes a GC struct. */
function claimedParent(item: ItemPlacement, structAt: (id: Id) => Struct | undefined, doc: Y.Doc): { parent: object; parentSub: string | null } | null | 'unknown' {
  const left = item.origin ? structAt(item.origin) : null;
  const right = item.rightOrigin ? structAt(item.rightOrigin) : null;
  if (left === undefined || right === undefined) return 'unknown';
  if (left || right) {
    const neighbour = left ?? right;
    if (!(left instanceof Y.Item || left === null) || !(right instanceof Y.Item || right === null) || !(neighbour instanceof Y.Item)) return null;
    const parent = typeOf(neighbour.parent);
    return parent ? { parent, parentSub: neighbour.parentSub } : null;
  }
  if (item.parentKey !== null) {
    const parent = doc.share.get(item.parentKey);
    return parent ? { parent, parentSub: item.parentSub } : 'unknown';
  }
  if (!item.parentId) return null;
  const parentItem = structAt(item.parentId);
  if (parentItem === undefined) return 'unknown';
  return parentItem instanceof Y.Item && parentItem.content instanceof Y.ContentType ? { parent: parentItem.content.type, parentSub: item.parentSub } : null;
}
