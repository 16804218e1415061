import { createHash } from 'node:crypto';
import type { ProposalRecord } from '../store/workshop-store';

/**
 * 256 plain, distinct words that are easy to say aloud and hard to mishear: one byte each.
 * Changing the list changes every phrase shown for pending proposals, so append, never edit.
 */
const WORDS: readonly string[] = [
  'acorn', 'amber', 'anchor', 'apple', 'apricot', 'arch', 'aspen', 'atlas', 'autumn', 'badge',
  'bakery', 'bamboo', 'banjo', 'barley', 'basil', 'basket', 'beacon', 'bean', 'birch', 'biscuit',
  'blossom', 'bottle', 'bramble', 'breeze', 'brick', 'bridge', 'brook', 'bucket', 'button',
  'cabin', 'cactus', 'camel', 'candle', 'canoe', 'canyon', 'carrot', 'castle', 'cedar', 'cello',
  'chalk', 'cherry', 'chess', 'cider', 'cinnamon', 'citrus', 'clover', 'cobalt', 'comet',
  'compass', 'copper', 'coral', 'cotton', 'cradle', 'crane', 'crayon', 'creek', 'cricket',
  'crystal', 'cupboard', 'daisy', 'delta', 'denim', 'desert', 'dolphin', 'domino', 'dove',
  'dragonfly', 'drum', 'dune', 'eagle', 'easel', 'echo', 'elbow', 'elm', 'ember', 'falcon',
  'feather', 'fennel', 'fern', 'fiddle', 'fig', 'finch', 'fjord', 'flint', 'flute', 'forest',
  'fossil', 'fountain', 'fox', 'garden', 'garnet', 'ginger', 'glacier', 'globe', 'goose',
  'granite', 'grape', 'gravel', 'guitar', 'harbor', 'harp', 'hazel', 'heron', 'hill', 'honey',
  'horizon', 'island', 'ivy', 'jacket', 'jade', 'jasmine', 'jelly', 'jigsaw', 'kayak', 'kettle',
  'kite', 'kiwi', 'ladder', 'lagoon', 'lantern', 'lark', 'lava', 'lemon', 'lentil', 'lilac',
  'lily', 'linen', 'lotus', 'lunar', 'magnet', 'mango', 'maple', 'marble', 'meadow', 'melon',
  'meteor', 'mint', 'mitten', 'moon', 'mosaic', 'moss', 'mountain', 'muffin', 'mural', 'nectar',
  'needle', 'nest', 'nutmeg', 'oak', 'oasis', 'ocean', 'olive', 'onion', 'opal', 'orbit',
  'orchard', 'otter', 'owl', 'paddle', 'palm', 'panda', 'paper', 'parrot', 'pasta', 'peach',
  'pebble', 'pepper', 'piano', 'pigeon', 'pillow', 'pine', 'planet', 'plum', 'pocket', 'pond',
  'poppy', 'puffin', 'pumpkin', 'quartz', 'quill', 'quilt', 'rabbit', 'radish', 'rain', 'raven',
  'reed', 'ribbon', 'river', 'robin', 'rocket', 'rose', 'saddle', 'saffron', 'sage', 'sail',
  'salmon', 'sand', 'satin', 'shell', 'sierra', 'silver', 'sketch', 'sky', 'slate', 'snow',
  'sparrow', 'spice', 'spruce', 'squash', 'star', 'stone', 'storm', 'sugar', 'summit', 'sunset',
  'swan', 'tea', 'thistle', 'thunder', 'tide', 'tiger', 'timber', 'tulip', 'tunnel', 'turnip',
  'umbrella', 'valley', 'velvet', 'violet', 'walnut', 'water', 'wave', 'wheat', 'willow', 'window',
  'winter', 'wren', 'yarrow', 'zebra', 'zinc', 'alpine', 'bison', 'crocus', 'fable', 'glade',
  'hammock', 'igloo', 'juniper', 'meringue', 'nickel', 'parsley', 'pretzel', 'sesame', 'tundra',
  'waffle', 'yogurt',
];

/**
 * The short phrase both people of a proposed pairing see. They compare it in person or on
 * their call before each confirms: a person proposed by someone else (a facilitator's second
 * browser, a stranger with the code) shows no phrase, or another one, on the real partner's
 * screen. It is derived from the proposal's random seed and the two rooms and people, so every
 * proposal has its own; 24 bits are plenty for a comparison made by two people looking at each
 * other's screens (not a secret: it is never used as a credential).
 */
export function verificationPhrase(proposal: ProposalRecord, people: { into: string; from: string }): string[] {
  const digest = createHash('sha256')
    .update(['parley-pairing-v1', proposal.seed, proposal.into, people.into, proposal.from, people.from].join('\n'))
    .digest();
  return [0, 1, 2].map((i) => WORDS[digest[i] as number] as string);
}
