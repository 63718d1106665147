import type { SandboxPageCommands } from '@portone-kit/sandbox/testing';

// The page's view of the emulator's browser commands (registered in vite.config.ts from the sandbox's
// public testing entry), as a merchant's own test suite would declare them.
declare module 'vitest/browser' {
  interface BrowserCommands extends SandboxPageCommands {}
}
