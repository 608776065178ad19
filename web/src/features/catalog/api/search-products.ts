// GET /api/v1/products?q=&category=&brand=&gender=&colour=&size=&min_price=&max_price=&min_rating=&sort=&limit=&cursor=
import { infiniteQueryOptions, useInfiniteQuery, type QueryClient } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api } from '@/lib/api-client';
import { queryKeys, type ProductSearchParams } from '@/lib/query-keys';
import type { Product } from './get-product';

export type FacetValue = Schema<'FacetCountView'>;
/** A price bucket as the search index reports it: minor units, max exclusive, open-ended when null. */
export type PriceBucket = Schema<'PriceBucketView'>;
export type FacetName = 'brand' | 'category' | 'gender' | 'colour' | 'size';
export type Facets = Partial<Schema<'FacetsView'>>;
export type ProductPage = Schema<'ProductPage'>;

/** A price facet entry as a select option: `value` is "min-max" in major units for the filter. */
export function priceOption(entry: FacetValue | PriceBucket): FacetValue & { label: string } {
  if ('value' in entry) return { value: entry.value, count: entry.count, label: entry.value };
  const min = entry.min_minor / 100;
  const maxMinor = entry.max_minor ?? null;
  // The bucket's upper bound is exclusive; the max_price filter is inclusive.
  const max = maxMinor === null ? null : (maxMinor - 1) / 100;
  const fmt = (n: number) => `₹${Math.round(n).toLocaleString('en-IN')}`;
  const label = maxMinor === null ? `${fmt(min)} and more` : min === 0 ? `Under ${fmt(maxMinor / 100)}` : `${fmt(min)}–${fmt(maxMinor / 100)}`;
  return { value: `${min}-${max === null ? '' : max.toFixed(2)}`, count: entry.count, label };
}

export const SORTS = [
  { value: 'relevance', label: 'Relevance' },
  { value: 'newest', label: 'Newest' },
  { value: 'price_asc', label: 'Price: low to high' },
  { value: 'price_desc', label: 'Price: high to low' },
  { value: 'rating', label: 'Top rated' },
  { value: 'discount', label: 'Biggest discount' },
] as const;

export const PAGE_SIZE = 24;

export function searchProducts(params: ProductSearchParams, cursor: string | null, signal?: AbortSignal): Promise<ProductPage> {
  return api.get<ProductPage>('/api/v1/products', { query: { ...params, limit: PAGE_SIZE, cursor }, signal });
}

export const searchProductsOptions = (params: ProductSearchParams) =>
  infiniteQueryOptions({
    queryKey: queryKeys.products(params),
    queryFn: ({ pageParam, signal }) => searchProducts(params, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    staleTime: 60_000,
  });

export function useSearchProducts(params: ProductSearchParams) {
  return useInfiniteQuery(searchProductsOptions(params));
}

/** Seeds the single-product cache from list answers so the modal opens at once. */
export function primeProducts(qc: QueryClient, items: Product[]): void {
  for (const p of items) {
    if (!qc.getQueryData(queryKeys.product(p.id))) qc.setQueryData(queryKeys.product(p.id), p);
  }
}

/** Facet values of a price facet are ranges such as "500-999" or "2000-"; this splits one. */
export function parsePriceRange(value: string): { min?: string; max?: string } {
  const m = /^\s*(\d+(?:\.\d+)?)?\s*(?:-|–|to)\s*(\d+(?:\.\d+)?)?\s*$/.exec(value);
  if (!m) return {};
  return { ...(m[1] ? { min: m[1] } : {}), ...(m[2] ? { max: m[2] } : {}) };
}
