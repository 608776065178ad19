// GET /api/v1/products/{product_id}
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export type Product = Schema<'Product'>;
export type ProductMetadata = Schema<'ProductMetadata'>;
export type SizeStock = Schema<'SizeStock'>;

/** The product's sizes with stock, tolerating a missing or odd metadata object. */
export function productSizes(p: Pick<Product, 'metadata'>): SizeStock[] {
  const sizes = p.metadata?.sizes;
  if (!Array.isArray(sizes)) return [];
  return sizes.filter((s): s is SizeStock => !!s && typeof s.size === 'string').map((s) => ({ size: s.size, stock: Number(s.stock) || 0 }));
}

export function productImages(p: Pick<Product, 'images'>): string[] {
  return Array.isArray(p.images) ? p.images.filter((u): u is string => typeof u === 'string' && u.length > 0) : [];
}

export function getProduct(productId: string, signal?: AbortSignal): Promise<Product> {
  return api.get<Product>(`/api/v1/products/${seg(productId)}`, { signal });
}

export const productQueryOptions = (productId: string) =>
  queryOptions({
    queryKey: queryKeys.product(productId),
    queryFn: ({ signal }) => getProduct(productId, signal),
    staleTime: 5 * 60_000,
  });

export function useProduct(productId: string | null | undefined) {
  return useQuery({ ...productQueryOptions(productId ?? ''), enabled: !!productId });
}
