import { useEffect, useRef } from 'react';

/**
 * The error line after a failed submit or command: announced (role=alert). After a form's
 * submit it also takes focus, so keyboard and screen-reader users land on it instead of
 * staying on the button; a command button's line leaves focus on the button
 * (`takeFocus={false}`), so it can be pressed again. Renders nothing without a message.
 */
export function FormError({ message, takeFocus = true }: { message: string | null; takeFocus?: boolean }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (message && takeFocus) ref.current?.focus();
  }, [message, takeFocus]);
  if (!message) return null;
  return (
    <p className="error" role="alert" tabIndex={takeFocus ? -1 : undefined} ref={ref}>
      {message}
    </p>
  );
}
