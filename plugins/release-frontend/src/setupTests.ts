import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// userEvent in jsdom is slow on a busy 2-core machine; allow more than 5 s.
jest.setTimeout(30_000);

// findBy* and waitFor give up after 1 s by default. Pages load lazily, and
// with other suites on both cores a first render has taken longer than that
// (approvalsPage's inbox table, once); wait up to 5 s before failing.
configure({ asyncUtilTimeout: 5_000 });

// jsdom has no ResizeObserver; the Delivery card's charts (recharts) need
// one. This one reports nothing (jsdom has no layout either); the card's
// own test installs one that reports a size.
class NoLayoutResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as { ResizeObserver?: unknown }).ResizeObserver ??=
  NoLayoutResizeObserver;
