import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, problemFromBody } from '@/lib/api-client';
import type { Cart, CartLine } from '../api/get-cart';
import { CartDrawer } from './CartDrawer';

const money = (amount: string) => ({ amount, currency: 'INR' as const });

const line = (over: Partial<CartLine> = {}): CartLine => ({
  id: 'l1',
  product: { id: 'p1', sku: 'SHIRT-1', title: 'Linen shirt', brand: 'Acme', image: null, price: money('999.00') },
  size: 'M',
  quantity: 2,
  added_by: 'u-me',
  buying_for: null,
  visibility: 'everyone',
  is_secret: false,
  price_at_add: money('999.00'),
  price_now: money('999.00'),
  in_stock: true,
  version: 1,
  created_at: '2026-11-24T10:00:00Z',
  updated_at: '2026-11-24T10:00:00Z',
  ...over,
});

const cartOf = (l: CartLine): Cart => ({ lines: [l], totals: { items: l.quantity, amount: money('1998.00') } });

afterEach(() => vi.restoreAllMocks());

function renderDrawer() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <CartDrawer roomId="r1" open onClose={() => {}} members={[{ user_id: 'u-ravi', name: 'Ravi' }]} meId="u-me" canAct onOpenProduct={() => {}} />
    </QueryClientProvider>,
  );
  return qc;
}

describe('CartDrawer', () => {
  it('sends the line’s version with an edit', async () => {
    vi.spyOn(api, 'get').mockResolvedValue(cartOf(line()));
    const patch = vi.spyOn(api, 'patch').mockResolvedValue(line({ quantity: 3, version: 2 }));
    renderDrawer();
    await userEvent.click(await screen.findByRole('button', { name: 'One more' }));
    expect(patch).toHaveBeenCalledWith('/api/v1/rooms/r1/cart/lines/l1', { quantity: 3, version: 1 });
  });

  it('shows the line as it is now, and says someone else changed it, when an edit is stale', async () => {
    // Ravi changed the line to 5 × L first; the server answers 409 with it.
    const theirs = line({ quantity: 5, size: 'L', version: 2 });
    let served = line();
    vi.spyOn(api, 'get').mockImplementation(async () => cartOf(served));
    vi.spyOn(api, 'patch').mockImplementation(async () => {
      served = theirs;
      throw problemFromBody(409, 'Conflict', { status: 409, code: 'conflict', title: 'Conflict', detail: 'the line has changed', current: theirs });
    });
    renderDrawer();
    const stepper = await screen.findByRole('group', { name: 'Quantity of Linen shirt' });
    expect(within(stepper).getByText('2')).toBeTruthy();
    await userEvent.click(within(stepper).getByRole('button', { name: 'One more' }));

    const note = await screen.findByRole('alert');
    expect(note.textContent).toContain('changed this line just now');
    expect(note.textContent).toContain('5 × size L');
    expect(note.textContent).toContain('Your change was not saved');
    // The current state, not the optimistic 3 and not the old 2.
    expect(within(stepper).getByText('5')).toBeTruthy();
    expect(screen.getByText(/Size L/)).toBeTruthy();
  });

  it('counts the items with their noun, one in the singular', async () => {
    vi.spyOn(api, 'get').mockResolvedValue(cartOf(line({ quantity: 1 })));
    renderDrawer();
    expect(await screen.findByText('1 item')).toBeTruthy();
    expect(screen.queryByText('1 items')).toBeNull();
  });

  it('shows other errors as they are, without the stale note', async () => {
    vi.spyOn(api, 'get').mockResolvedValue(cartOf(line()));
    vi.spyOn(api, 'patch').mockRejectedValue(problemFromBody(409, 'Conflict', { code: 'conflict', title: 'Conflict', detail: 'another line already has that size' }));
    renderDrawer();
    await userEvent.click(await screen.findByRole('button', { name: 'One more' }));
    const stepper = screen.getByRole('group', { name: 'Quantity of Linen shirt' });
    // Rolled back to what it was; no note about someone else.
    await vi.waitFor(() => expect(within(stepper).getByText('2')).toBeTruthy());
    expect(screen.queryByText(/changed this line just now/)).toBeNull();
  });
});
