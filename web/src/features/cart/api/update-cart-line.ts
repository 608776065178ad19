// PATCH /api/v1/rooms/{room_id}/cart/lines/{line_id}
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Cart, CartLine } from './get-cart';

export type UpdateCartLineBody = Schema<'UpdateCartLineInput'>;

export function updateCartLine(roomId: string, lineId: string, body: UpdateCartLineBody): Promise<CartLine> {
  return api.patch<CartLine>(`/api/v1/rooms/${seg(roomId)}/cart/lines/${seg(lineId)}`, body);
}

export function useUpdateCartLine(roomId: string) {
  const qc = useQueryClient();
  const key = queryKeys.cart(roomId);
  return useMutation({
    mutationFn: ({ lineId, body }: { lineId: string; body: UpdateCartLineBody }) => updateCartLine(roomId, lineId, body),
    // Optimistic: the number changes under the finger; totals come from the server.
    onMutate: async ({ lineId, body }) => {
      await qc.cancelQueries({ queryKey: key });
      const previous = qc.getQueryData<Cart>(key);
      qc.setQueryData<Cart>(key, (old) =>
        old
          ? {
              ...old,
              lines: old.lines.map((l) =>
                l.id === lineId ? { ...l, ...(body.quantity ? { quantity: body.quantity } : {}), ...(body.size ? { size: body.size } : {}), ...('buying_for' in body ? { buying_for: body.buying_for } : {}) } : l,
              ),
            }
          : old,
      );
      return { previous };
    },
    onError: (_e, _v, ctx) => {
      if (ctx?.previous) qc.setQueryData(key, ctx.previous);
    },
    onSettled: () => void qc.invalidateQueries({ queryKey: key }),
  });
}
