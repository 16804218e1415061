import type { ReactNode } from 'react';

interface Props {
  heading: string;
  children?: ReactNode;
  tone?: 'calm' | 'warning';
}

/** A full-page message for moments when there is nothing else to show. */
export function Notice({ heading, children, tone = 'calm' }: Props) {
  return (
    <main id="main" className={`notice notice--${tone}`} tabIndex={-1}>
      <div className="notice__card">
        <h1 className="notice__heading">{heading}</h1>
        {children}
      </div>
    </main>
  );
}
