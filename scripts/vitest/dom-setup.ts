import { configure } from '@testing-library/react';

// waitFor and findBy wait for an event the test names; the limit only ends a wait that will never be
// answered. One second is what a busy 2-core CI machine can take to run a React effect and a timer: 10 s.
configure({ asyncUtilTimeout: 10_000 });
