'use client';
import { type ReactNode, useEffect, useRef } from 'react';

// After a payment the page renders again on the server (router.refresh()) and the pay button may be gone:
// the focus would fall to <body>. The notice that took its place takes it instead.

let hydrated = false;

/** Marks the page as hydrated: notices mounted from now on came from a refresh. Used once, in the layout. */
export function HydrationMark() {
  useEffect(() => {
    hydrated = true;
  }, []);
  return null;
}

/** Wraps a notice: when it appears after hydration and nothing has the focus, it takes it. */
export function FocusWhenShown({ children }: { children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const active = document.activeElement;
    const lost = active === null || active === document.body;
    if (hydrated && lost && box.current?.textContent) box.current.focus();
  }, []);
  return (
    <div ref={box} tabIndex={-1} className="focus-target">
      {children}
    </div>
  );
}
