import '@testing-library/jest-dom';

// Rendering the whole app in jsdom is slow on a busy 2-core machine.
jest.setTimeout(30_000);

// jsdom has no ResizeObserver; the release Delivery card's charts (recharts)
// need one. This one reports nothing (jsdom has no layout either).
class NoLayoutResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as { ResizeObserver?: unknown }).ResizeObserver ??=
  NoLayoutResizeObserver;
