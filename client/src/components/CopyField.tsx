import { useEffect, useId, useRef, useState } from 'react';
import { strings } from '../lib/strings';

interface Props {
  label: string;
  value: string;
  help?: string;
}

/** A read-only link with a copy button; falls back to selecting the text for a manual copy. */
export function CopyField({ label, value, help }: Props) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (status === 'idle') return;
    const timer = setTimeout(() => setStatus('idle'), 2_500);
    return () => clearTimeout(timer);
  }, [status]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setStatus('copied');
    } catch {
      inputRef.current?.select();
      setStatus('failed');
    }
  };

  return (
    <div className="copy-field">
      <label htmlFor={id} className="copy-field__label">
        {label}
      </label>
      {help && (
        <p className="hint" id={`${id}-help`}>
          {help}
        </p>
      )}
      <div className="copy-field__row">
        <input
          id={id}
          ref={inputRef}
          className="copy-field__input"
          readOnly
          value={value}
          aria-describedby={help ? `${id}-help` : undefined}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="button button--secondary" onClick={copy}>
          {status === 'copied' ? strings.common.copied : strings.common.copy}
        </button>
      </div>
      <p className="copy-field__status" role="status">
        {status === 'copied' ? strings.common.copied : status === 'failed' ? strings.common.copyFailed : ''}
      </p>
    </div>
  );
}
