// DELETE /api/v1/rooms/{room_id}/cart/lines/{line_id}
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export function removeCartLine(roomId: string, lineId: string): Promise<void> {
  return api.delete(`/api/v1/rooms/${seg(roomId)}/cart/lines/${seg(lineId)}`);
}

export function useRemoveCartLine(roomId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (lineId: string) => removeCartLine(roomId, lineId),
    onSettled: () => void qc.invalidateQueries({ queryKey: queryKeys.cart(roomId) }),
  });
}
