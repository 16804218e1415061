import type { ComponentProps } from 'react';

interface Props extends Omit<ComponentProps<'input'>, 'id'> {
  /** the input's id; the hint's is `<id>-help` */
  id: string;
  label: string;
  hint?: string;
}

/** A labelled text input with an optional hint the input is described by. */
export function Field({ id, label, hint, ...input }: Props) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-help`}>
          {hint}
        </p>
      )}
      <input id={id} aria-describedby={hint ? `${id}-help` : undefined} {...input} />
    </div>
  );
}

interface NameProps {
  id: string;
  label: string;
  hint: string;
  value: string;
  onChange: (value: string) => void;
}

/** The name a person is shown by: every form asks for one, with the contract's 40-character limit. */
export function NameField({ id, label, hint, value, onChange }: NameProps) {
  return (
    <Field id={id} label={label} hint={hint} name="displayName" required maxLength={40} autoComplete="nickname" value={value} onChange={(e) => onChange(e.target.value)} />
  );
}
