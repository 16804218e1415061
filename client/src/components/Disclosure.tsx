import { useEffect, useId, useRef, useState } from 'react';
import type { ReactNode } from 'react';

interface Props {
  /** the toggle's visible words (its accessible name) */
  label: ReactNode;
  className?: string;
  toggleClassName?: string;
  /** the panel; `close` hands focus back to the toggle first, so a dialog opened from it returns there */
  children: (close: () => void) => ReactNode;
  /**
   * A fold in the page (the agreement's full detail) rather than a panel over it: it stays open
   * while the person reads, clicks or tabs inside and outside it, until the toggle closes it.
   */
  inline?: boolean;
}

/**
 * A button that shows and hides a small panel below it (the disclosure pattern: aria-expanded,
 * aria-controls). Escape, a click elsewhere or focus leaving it closes the panel; Escape puts
 * focus back on the button.
 */
export function Disclosure({ label, className = '', toggleClassName = 'button button--quiet', children, inline = false }: Props) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open || inline) return undefined;
    const outside = (e: Event) => {
      if (e.target instanceof Node && !root.current?.contains(e.target)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    document.addEventListener('focusin', outside);
    return () => {
      document.removeEventListener('pointerdown', outside);
      document.removeEventListener('focusin', outside);
    };
  }, [open, inline]);

  const close = () => {
    toggle.current?.focus();
    setOpen(false);
  };

  return (
    <div
      ref={root}
      className={`disclosure ${inline ? 'disclosure--inline' : ''} ${className}`}
      onKeyDown={(e) => {
        if (open && !inline && e.key === 'Escape') {
          e.stopPropagation();
          close();
        }
      }}
    >
      <button ref={toggle} type="button" className={toggleClassName} aria-expanded={open} aria-controls={id} onClick={() => setOpen((v) => !v)}>
        {label}
      </button>
      <div id={id} className="disclosure__panel" hidden={!open}>
        {open && children(close)}
      </div>
    </div>
  );
}
