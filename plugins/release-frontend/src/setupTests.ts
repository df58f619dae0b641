import '@testing-library/jest-dom';

// userEvent in jsdom is slow on a busy 2-core machine; allow more than 5 s.
jest.setTimeout(30_000);

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
