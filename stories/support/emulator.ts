/** Where stories find the sandbox emulator: mounted in Storybook's own server, so no CORS and no port. */
export const EMULATOR_PATH = '/__sandbox/emulator';
