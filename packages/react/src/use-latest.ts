import { useEffect, useLayoutEffect, useRef } from 'react';

// useLayoutEffect warns during server rendering in React 18; nothing needs it there.
const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

/** A ref that always holds the value of the latest committed render: callbacks read it, never a stale copy. */
export function useLatest<Value>(value: Value): { readonly current: Value } {
  const ref = useRef(value);
  useIsomorphicLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
