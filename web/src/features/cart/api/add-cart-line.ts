// POST /api/v1/rooms/{room_id}/cart/lines
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { CartLine } from './get-cart';

export type AddCartLineBody = Schema<'AddCartLineInput'>;

export function addCartLine(roomId: string, body: AddCartLineBody): Promise<CartLine> {
  return api.post<CartLine>(`/api/v1/rooms/${seg(roomId)}/cart/lines`, body);
}

export function useAddCartLine(roomId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AddCartLineBody) => addCartLine(roomId, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: queryKeys.cart(roomId) }),
  });
}
