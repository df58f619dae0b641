import '@testing-library/jest-dom';

// Rendering the whole app in jsdom is slow on a busy 2-core machine.
jest.setTimeout(30_000);
