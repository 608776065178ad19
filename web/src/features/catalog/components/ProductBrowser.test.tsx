import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '@/lib/api-client';
import type { Product } from '../api/get-product';
import { ProductBrowser } from './ProductBrowser';

const product = (n: number): Product => ({
  id: `p${n}`,
  title: `Kurta ${n}`,
  brand: 'Fabindia',
  category: 'Kurtas',
  price: { amount: '999.00', currency: 'INR' },
  original_price: { amount: '999.00', currency: 'INR' },
  images: [],
  sku: `SKU-${n}`,
  description: '',
  rating: null,
  reviews: 0,
  metadata: {},
  created_at: '2026-11-23T10:00:00Z',
  updated_at: '2026-11-23T10:00:00Z',
});

afterEach(() => vi.restoreAllMocks());

function renderBrowser(params = {}, onParamsChange = vi.fn(), onOpenProduct = vi.fn()) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <ProductBrowser params={params} onParamsChange={onParamsChange} onOpenProduct={onOpenProduct} />
    </QueryClientProvider>,
  );
  return { onParamsChange, onOpenProduct, qc };
}

describe('ProductBrowser', () => {
  it('pages with next_cursor and shows facets', async () => {
    const get = vi.spyOn(api, 'get').mockImplementation(async (_path, options) => {
      const cursor = options?.query?.cursor;
      return cursor === 'c1'
        ? { items: [product(3)], next_cursor: null, total: 3, facets: {} }
        : {
            items: [product(1), product(2)],
            next_cursor: 'c1',
            total: 3,
            facets: { brand: [{ value: 'Fabindia', count: 3 }], price: [{ min_minor: 0, max_minor: 100000, count: 3 }] },
          };
    });
    const { onParamsChange, onOpenProduct } = renderBrowser({ q: 'kurta' });
    expect(await screen.findByText('Kurta 1')).toBeTruthy();
    expect(screen.getByText('3 products')).toBeTruthy();
    expect(get.mock.calls[0]?.[1]?.query).toMatchObject({ q: 'kurta', limit: 24, cursor: null });

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('Kurta 3')).toBeTruthy();
    expect(get.mock.calls[1]?.[1]?.query?.cursor).toBe('c1');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();

    const filters = screen.getByRole('group', { name: 'Filters' });
    await userEvent.selectOptions(within(filters).getByLabelText('Brand'), 'Fabindia');
    expect(onParamsChange).toHaveBeenLastCalledWith({ q: 'kurta', brand: 'Fabindia' });
    await userEvent.selectOptions(within(filters).getByLabelText('Price'), '0-999.99');
    expect(onParamsChange).toHaveBeenLastCalledWith({ q: 'kurta', min_price: '0', max_price: '999.99' });

    await userEvent.click(screen.getByRole('button', { name: 'Fabindia Kurta 2' }));
    expect(onOpenProduct).toHaveBeenCalledWith('p2');
  });

  it('says so when nothing matches', async () => {
    vi.spyOn(api, 'get').mockResolvedValue({ items: [], next_cursor: null, total: 0, facets: {} });
    renderBrowser({ q: 'zzz' });
    expect(await screen.findByText('Nothing matches')).toBeTruthy();
  });
});
