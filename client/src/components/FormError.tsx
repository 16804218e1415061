import { useEffect, useRef } from 'react';

/**
 * A form's error after a failed submit: announced (role=alert) and focused, so keyboard and
 * screen-reader users land on it instead of staying on the button. Renders nothing without one.
 */
export function FormError({ message }: { message: string | null }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (message) ref.current?.focus();
  }, [message]);
  if (!message) return null;
  return (
    <p className="error" role="alert" tabIndex={-1} ref={ref}>
      {message}
    </p>
  );
}
