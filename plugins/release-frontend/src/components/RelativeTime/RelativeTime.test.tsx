import { render, screen } from '@testing-library/react';
import { formatRelativeTime, RelativeTime } from './RelativeTime';

describe('formatRelativeTime', () => {
  const now = new Date('2024-03-01T10:00:00.000Z');

  it.each([
    ['2024-03-01T09:59:55.000Z', 'just now'],
    ['2024-03-01T09:59:00.000Z', '1 minute ago'],
    ['2024-03-01T09:55:00.000Z', '5 minutes ago'],
    ['2024-03-01T07:00:00.000Z', '3 hours ago'],
    ['2024-02-28T10:00:00.000Z', '2 days ago'],
    ['2024-03-01T12:00:00.000Z', 'in 2 hours'],
  ])('formats %s as "%s"', (iso, expected) => {
    expect(formatRelativeTime(new Date(iso), now)).toBe(expected);
  });
});

describe('RelativeTime', () => {
  it('shows the relative time with the absolute time as its title', () => {
    const value = '2024-03-01T09:55:00.000Z';
    render(
      <RelativeTime value={value} now={new Date('2024-03-01T10:00:00Z')} />,
    );
    const time = screen.getByText('5 minutes ago');
    expect(time).toHaveAttribute('title', new Date(value).toLocaleString());
    expect(time).toHaveAttribute('datetime', value);
  });

  it('shows an unparsable value as it is', () => {
    render(<RelativeTime value="not a date" />);
    expect(screen.getByText('not a date')).toBeInTheDocument();
  });
});
