import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, problemFromBody } from '@/lib/api-client';
import type { WishlistItem } from '../api/wishlist';
import { WishlistPanel, type SizeStock } from './WishlistPanel';

const item: WishlistItem = {
  id: 'w1',
  product: { id: 'p1', sku: 'KURTA-1', title: 'Blue kurta', brand: 'Fabindia', image: null, price: { amount: '1299.00', currency: 'INR' } },
  added_by: 'u-me',
  buying_for: null,
  visibility: 'everyone',
  is_secret: false,
  in_stock: true,
  created_at: '2026-11-24T10:00:00Z',
};

afterEach(() => vi.restoreAllMocks());

function renderPanel(sizes: SizeStock[]) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const loadSizes = vi.fn(async () => sizes);
  render(
    <QueryClientProvider client={qc}>
      <WishlistPanel roomId="r1" meId="u-me" nameOf={(id) => id} canAct onOpenProduct={() => {}} renderProductThumb={() => null} loadSizes={loadSizes} />
    </QueryClientProvider>,
  );
  return { loadSizes };
}

describe('WishlistPanel', () => {
  it('moves an item to the cart with the size chosen', async () => {
    vi.spyOn(api, 'get').mockResolvedValue({ items: [item] });
    const post = vi.spyOn(api, 'post').mockResolvedValue({});
    const { loadSizes } = renderPanel([
      { size: 'S', stock: 0 },
      { size: 'M', stock: 3 },
      { size: 'L', stock: 1 },
    ]);
    await userEvent.click(await screen.findByRole('button', { name: 'Move Blue kurta to the cart' }));
    expect(loadSizes).toHaveBeenCalledWith('p1');
    const size = await screen.findByLabelText('Size');
    expect((screen.getByRole('option', { name: 'S (sold out)' }) as HTMLOptionElement).disabled).toBe(true);

    // No size yet: asked for one, nothing sent.
    await userEvent.click(screen.getByRole('button', { name: 'Move' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Choose a size first');
    expect(post).not.toHaveBeenCalled();

    await userEvent.selectOptions(size, 'L');
    await userEvent.selectOptions(screen.getByLabelText('Quantity'), '2');
    await userEvent.click(screen.getByRole('button', { name: 'Move' }));
    expect(post).toHaveBeenCalledWith('/api/v1/rooms/r1/wishlist/w1/move-to-cart', { size: 'L', quantity: 2 });
  });

  it('picks the only size in stock and shows a refused size next to the picker', async () => {
    vi.spyOn(api, 'get').mockResolvedValue({ items: [item] });
    const post = vi
      .spyOn(api, 'post')
      .mockRejectedValue(problemFromBody(422, 'Unprocessable', { code: 'validation_failed', title: 'Invalid', errors: [{ field: 'size', message: 'is out of stock' }] }));
    renderPanel([
      { size: 'M', stock: 0 },
      { size: 'Free', stock: 2 },
    ]);
    await userEvent.click(await screen.findByRole('button', { name: 'Move Blue kurta to the cart' }));
    expect(((await screen.findByLabelText('Size')) as HTMLSelectElement).value).toBe('Free');
    await userEvent.click(screen.getByRole('button', { name: 'Move' }));
    expect(post).toHaveBeenCalledWith('/api/v1/rooms/r1/wishlist/w1/move-to-cart', { size: 'Free', quantity: 1 });
    expect((await screen.findByRole('alert')).textContent).toBe('is out of stock');
  });
});
