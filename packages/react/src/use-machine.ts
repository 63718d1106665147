import { useCallback, useRef, useState } from 'react';

/**
 * A pure reducer's state as React state, with a ref that is current between renders, so that callbacks
 * fired by the SDK or a promise read the state they act on. `send` returns the next state. After unmount
 * React drops the update; the ref still moves on.
 */
export function useMachine<State, Event>(
  reducer: (state: State, event: Event) => State,
  initial: State,
): [State, (event: Event) => State, { readonly current: State }] {
  const [state, setState] = useState(initial);
  const ref = useRef(state);
  const send = useCallback(
    (event: Event) => {
      const next = reducer(ref.current, event);
      if (next !== ref.current) {
        ref.current = next;
        setState(next);
      }
      return next;
    },
    [reducer],
  );
  return [state, send, ref];
}
