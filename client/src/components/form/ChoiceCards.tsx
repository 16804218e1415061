import type { ComponentProps } from 'react';

interface CardProps extends Omit<ComponentProps<'input'>, 'id' | 'aria-describedby'> {
  label: string;
  help: string;
  /** the help line's id, which the input is described by */
  helpId: string;
}

/** One radio or checkbox as a card: the label in bold and a line of help under it. */
export function ChoiceCard({ label, help, helpId, ...input }: CardProps) {
  return (
    <label className="choice-card">
      <input aria-describedby={helpId} {...input} />
      <span className="choice-card__text">
        <span className="choice-card__label">{label}</span>
        <span className="hint" id={helpId}>
          {help}
        </span>
      </span>
    </label>
  );
}

interface Choice<V extends string> {
  value: V;
  label: string;
  help: string;
}

interface CardsProps<V extends string> {
  legend: string;
  /** the radios' name; each help line's id is `<name>-<value>-help` unless `helpIdPrefix` says otherwise */
  name: string;
  helpIdPrefix?: string;
  choices: readonly Choice<V>[];
  value: V;
  onChange: (value: V) => void;
}

/** One choice out of a few, each explained: a fieldset of radio cards. */
export function ChoiceCards<V extends string>({ legend, name, helpIdPrefix = name, choices, value, onChange }: CardsProps<V>) {
  return (
    <fieldset className="field choices">
      <legend>{legend}</legend>
      {choices.map((choice) => (
        <ChoiceCard
          key={choice.value}
          type="radio"
          name={name}
          value={choice.value}
          checked={value === choice.value}
          onChange={() => onChange(choice.value)}
          label={choice.label}
          help={choice.help}
          helpId={`${helpIdPrefix}-${choice.value}-help`}
        />
      ))}
    </fieldset>
  );
}
