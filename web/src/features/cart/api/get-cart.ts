// GET /api/v1/rooms/{room_id}/cart
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export type CartProduct = Schema<'ProductSummary'>;
export type CartLine = Schema<'CartLineView'>;
export type Cart = Schema<'CartView'>;

export function getCart(roomId: string, signal?: AbortSignal): Promise<Cart> {
  return api.get<Cart>(`/api/v1/rooms/${seg(roomId)}/cart`, { signal });
}

export const cartQueryOptions = (roomId: string) => queryOptions({ queryKey: queryKeys.cart(roomId), queryFn: ({ signal }) => getCart(roomId, signal) });

export function useCart(roomId: string) {
  return useQuery(cartQueryOptions(roomId));
}
