import { BoundedReader, Invalid, parseBoundedJson, verdictOf } from './bounded-reader';
import type { Verdict } from './validate-update';

/**
 * A validator for y-protocols awareness updates (`encodeAwarenessUpdate`: count, then per entry
 * client id, clock and a JSON state), run before `applyAwarenessUpdate`. The stock decoder
 * JSON-parses whatever it gets; a state nested deeply enough makes every later re-encode of the
 * doc's awareness (`JSON.stringify`, e.g. for each newly connecting client) throw.
 */

export interface AwarenessLimits {
  /** entries in one update; a stock client sends one (its own) */
  maxStates: number;
  /** nesting of a state's JSON */
  maxDepth: number;
}

export const DEFAULT_AWARENESS_LIMITS: AwarenessLimits = { maxStates: 16, maxDepth: 32 };

/** On success, the client ids the update speaks for (so a connection can be held to a few). */
export function validateAwarenessUpdate(update: Uint8Array, limits: AwarenessLimits = DEFAULT_AWARENESS_LIMITS): Verdict<{ clients: number[] }> {
  return verdictOf(() => {
    const reader = new BoundedReader(update);
    // client id, clock and an (at least empty) string: three bytes per entry
    const n = reader.count(3, 'state');
    if (n > limits.maxStates) throw new Invalid('too many awareness states');
    const clients: number[] = [];
    for (let i = 0; i < n; i++) {
      clients.push(reader.varUint());
      reader.varUint(); // clock
      const state = parseBoundedJson(reader.varString(), limits.maxDepth);
      // `null` removes a state; anything else must be an object (y-protocols' documented type).
      if (state !== null && (typeof state !== 'object' || Array.isArray(state))) throw new Invalid('awareness state not an object');
    }
    if (reader.left > 0) throw new Invalid('trailing bytes');
    return { clients };
  });
}
