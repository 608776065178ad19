// POST /api/v1/rooms/{room_id}/cart/lines/{line_id}/reveal
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { CartLine } from './get-cart';

export function revealCartLine(roomId: string, lineId: string): Promise<CartLine> {
  return api.post<CartLine>(`/api/v1/rooms/${seg(roomId)}/cart/lines/${seg(lineId)}/reveal`);
}

export function useRevealCartLine(roomId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (lineId: string) => revealCartLine(roomId, lineId),
    onSettled: () => void qc.invalidateQueries({ queryKey: queryKeys.cart(roomId) }),
  });
}
