import { RATINGS } from '@parley/shared/protocol/answers';
import type { Rating } from '@parley/shared/protocol/answers';
import { strings } from '../../lib/strings';

/**
 * A glyph per rating, so the eight choices fit one row of a 360 px phone. The word stays the
 * radio's name (visually hidden on a narrow form, shown beside the glyph on a wide one), the
 * chosen word is written out next to the row, and the form carries a key: never a glyph alone.
 */
export const RATING_GLYPH: Record<Rating, string> = {
  favourite: '★',
  yes: '✓',
  yes_for_you: '♡',
  curious: '?',
  fantasy_only: '☾',
  not_now: '…',
  hard_limit: '✕',
  unsure: '~',
};

interface Props {
  name: string;
  value: Rating | undefined;
  onChange: (rating: Rating) => void;
}

/** Eight radios in one row; each is set only by the person's own tap or key. */
export function RatingSegments({ name, value, onChange }: Props) {
  return (
    <div className="seg">
      {RATINGS.map((rating) => (
        <label key={rating} className={`seg__item seg__item--${rating}`}>
          <input type="radio" name={name} checked={value === rating} onChange={() => onChange(rating)} />
          <span className="seg__face">
            <span className="seg__glyph" aria-hidden="true">
              {RATING_GLYPH[rating]}
            </span>
            <span className="seg__word visually-hidden">{strings.ratings[rating]}</span>
          </span>
        </label>
      ))}
    </div>
  );
}

/** One direction of a dual rating: its legend, the chosen word, the row of radios. */
export function RatingRow({ legend, ...props }: Props & { legend: string }) {
  return (
    <fieldset className="rating-row">
      <legend className="rating-row__legend">
        {legend}
        {/* the checked radio already says it to a screen reader */}
        <span className="rating-row__value" aria-hidden="true">
          {props.value ? strings.ratingsShort[props.value] : '—'}
        </span>
      </legend>
      <RatingSegments {...props} />
    </fieldset>
  );
}

/** The key to the glyphs, shown above a form whose ratings are too narrow for words. */
export function RatingKey() {
  return (
    <p className="rating-key" aria-hidden="true">
      {RATINGS.map((rating) => (
        <span key={rating} className="rating-key__item">
          <span className="rating-key__glyph">{RATING_GLYPH[rating]}</span> {strings.ratings[rating]}
        </span>
      ))}
    </p>
  );
}
