// GET /api/v1/rooms/{room_id}/wishlist, POST …/wishlist, DELETE …/wishlist/{item_id},
// POST …/wishlist/{item_id}/move-to-cart (one file: the calls share one small
// shape and one cache entry)
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Schema } from '@/api';
import type { CartLine } from './get-cart';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export type WishlistItem = Schema<'WishlistItemView'>;
type WishlistAnswer = Schema<'WishlistView'>;

export async function getWishlist(roomId: string, signal?: AbortSignal): Promise<WishlistItem[]> {
  const answer = await api.get<WishlistAnswer>(`/api/v1/rooms/${seg(roomId)}/wishlist`, { signal });
  return answer.items;
}

export const wishlistQueryOptions = (roomId: string) =>
  queryOptions({ queryKey: queryKeys.wishlist(roomId), queryFn: ({ signal }) => getWishlist(roomId, signal) });

export function useWishlist(roomId: string) {
  return useQuery(wishlistQueryOptions(roomId));
}

export type AddWishlistBody = Schema<'AddWishlistInput'>;

export function useAddToWishlist(roomId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AddWishlistBody) => api.post<WishlistItem>(`/api/v1/rooms/${seg(roomId)}/wishlist`, body),
    onSettled: () => void qc.invalidateQueries({ queryKey: queryKeys.wishlist(roomId) }),
  });
}

export function useRemoveFromWishlist(roomId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (itemId: string) => api.delete(`/api/v1/rooms/${seg(roomId)}/wishlist/${seg(itemId)}`),
    onSettled: () => void qc.invalidateQueries({ queryKey: queryKeys.wishlist(roomId) }),
  });
}

export function wishlistProductId(item: WishlistItem): string {
  return item.product.id;
}

export type MoveToCartBody = Schema<'MoveToCartInput'>;

/** Moves an item into the cart in one step; the line keeps the item's recipient and visibility. */
export function useMoveToCart(roomId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ itemId, body }: { itemId: string; body: MoveToCartBody }) =>
      api.post<CartLine>(`/api/v1/rooms/${seg(roomId)}/wishlist/${seg(itemId)}/move-to-cart`, body),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: queryKeys.wishlist(roomId) });
      void qc.invalidateQueries({ queryKey: queryKeys.cart(roomId) });
    },
  });
}
