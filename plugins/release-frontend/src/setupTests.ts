import '@testing-library/jest-dom';

// userEvent in jsdom is slow on a busy 2-core machine; allow more than 5 s.
jest.setTimeout(30_000);
