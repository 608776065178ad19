import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { PackingLine, Trip } from '../api/get-trip';
import { PackingList } from './PackingList';

const money = (amount: string) => ({ amount, currency: 'INR' });
const card = (id: string, title: string) => ({ id, title, brand: 'Acme', image: null, price: money('799.00') });

const line = (over: Partial<PackingLine>): PackingLine => ({
  id: 't0:tops',
  item: 'Tops',
  category: 'clothing',
  reason: 'One a day for the beach',
  checked: false,
  owned: false,
  quantity: 3,
  traveler: 'Ravi',
  traveler_index: 0,
  products: [card('p1', 'Linen shirt'), card('p2', 'Cotton tee')],
  product_id: 'p1',
  ...over,
});

const trip = (lines: PackingLine[]): Trip => ({
  id: 'trip-1',
  room_id: 'r1',
  destination: 'Phuket',
  trip_type: 'beach',
  duration: 5,
  start_date: '2026-12-20',
  climate: { low_c: 24, high_c: 32, rainy: true, snowy: false, inferred: true, source: 'inferred from monthly normals' },
  laundry: false,
  notes: ['Climate inferred from the destination and month.'],
  occasion: null,
  budget: null,
  planner: 'built_in',
  packing_list: lines,
  shopping: { lines: 1, total: money('799.00') },
  travelers: [{ name: 'Ravi', user_id: 'u-ravi' }],
  created_by: 'u-ravi',
  created_at: '2026-11-24T10:00:00Z',
  updated_at: '2026-11-24T10:00:00Z',
});

afterEach(() => vi.restoreAllMocks());

function renderList(t: Trip, onAddToCart = vi.fn()) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  qc.setQueryData(queryKeys.trip('r1', t.id), t);
  render(
    <QueryClientProvider client={qc}>
      <PackingList roomId="r1" trip={t} canAct onAddToCart={onAddToCart} onOpenProduct={() => {}} />
    </QueryClientProvider>,
  );
  return { qc, onAddToCart };
}

describe('PackingList', () => {
  it('shows each traveller’s lines with their reasons, shared lines apart', () => {
    renderList(trip([line({}), line({ id: 'shared:first_aid', item: 'First aid kit', traveler: null, traveler_index: null, reason: 'For the family', products: [], product_id: null })]));
    expect(screen.getByRole('heading', { name: 'Ravi' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Shared by the family' })).toBeTruthy();
    expect(screen.getByText('One a day for the beach')).toBeTruthy();
  });

  it('sends a check-off as one line edit and shows it at once', async () => {
    const t = trip([line({})]);
    const patch = vi.spyOn(api, 'patch').mockResolvedValue(trip([line({ checked: true })]));
    const { qc } = renderList(t);
    await userEvent.click(screen.getByRole('checkbox', { name: /Tops/ }));
    expect(patch).toHaveBeenCalledWith('/api/v1/rooms/r1/trips/trip-1', { lines: [{ id: 't0:tops', checked: true }] });
    expect(qc.getQueryData<Trip>(queryKeys.trip('r1', 'trip-1'))?.packing_list[0]?.checked).toBe(true);
  });

  it('sends quantity, swap (to the line’s next product) and owned edits', async () => {
    const patch = vi.spyOn(api, 'patch').mockResolvedValue(trip([line({})]));
    renderList(trip([line({})]));
    const group = screen.getByRole('group', { name: 'How many Tops' });
    await userEvent.click(within(group).getByRole('button', { name: 'One more' }));
    expect(patch).toHaveBeenLastCalledWith('/api/v1/rooms/r1/trips/trip-1', { lines: [{ id: 't0:tops', quantity: 4 }] });
    await userEvent.click(screen.getByRole('button', { name: 'Swap the suggestion for Tops' }));
    expect(patch).toHaveBeenLastCalledWith('/api/v1/rooms/r1/trips/trip-1', { lines: [{ id: 't0:tops', product_id: 'p2' }] });
    await userEvent.click(screen.getByRole('checkbox', { name: 'Have it' }));
    expect(patch).toHaveBeenLastCalledWith('/api/v1/rooms/r1/trips/trip-1', { lines: [{ id: 't0:tops', owned: true }] });
  });

  it('rolls back an edit the server refuses', async () => {
    vi.spyOn(api, 'patch').mockRejectedValue(new Error('nope'));
    const { qc } = renderList(trip([line({})]));
    await userEvent.click(screen.getByRole('checkbox', { name: /Tops/ }));
    await vi.waitFor(() => expect(qc.getQueryData<Trip>(queryKeys.trip('r1', 'trip-1'))?.packing_list[0]?.checked).toBe(false));
  });

  it('adds the chosen product to the cart for the traveller, with the line’s quantity', async () => {
    const { onAddToCart } = renderList(trip([line({})]));
    await userEvent.click(screen.getByRole('button', { name: 'Add Linen shirt to the cart' }));
    expect(onAddToCart).toHaveBeenCalledWith('p1', 3, 'u-ravi');
  });

  it('buys for a traveller added by hand by name', async () => {
    const t = { ...trip([line({ id: 't1:tops', traveler: 'Tara', traveler_index: 1 })]), travelers: [{ name: 'Ravi', user_id: 'u-ravi' }, { name: 'Tara', age: 8 }] };
    const { onAddToCart } = renderList(t);
    await userEvent.click(screen.getByRole('button', { name: 'Add Linen shirt to the cart' }));
    expect(onAddToCart).toHaveBeenCalledWith('p1', 3, 'Tara');
  });
});
