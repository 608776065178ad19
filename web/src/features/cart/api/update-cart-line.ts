// PATCH /api/v1/rooms/{room_id}/cart/lines/{line_id}
//
// Edits carry the line's `version`: when someone else changed the line first,
// the server answers 409 with the line as it is now (`current`), and the cache
// takes that line instead of rolling back to what this tab last saw.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api, isApiError, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Cart, CartLine } from './get-cart';

export type UpdateCartLineBody = Schema<'UpdateCartLineInput'>;

export function updateCartLine(roomId: string, lineId: string, body: UpdateCartLineBody): Promise<CartLine> {
  return api.patch<CartLine>(`/api/v1/rooms/${seg(roomId)}/cart/lines/${seg(lineId)}`, body);
}

/** The line as it is now when `error` is a 409 about a stale version; otherwise null. */
export function staleLine(error: unknown): CartLine | null {
  if (!isApiError(error) || error.status !== 409) return null;
  const current = error.current as Partial<CartLine> | null;
  return current && typeof current.id === 'string' && typeof current.version === 'number' ? (current as CartLine) : null;
}

function replaceLine(cart: Cart | undefined, line: CartLine): Cart | undefined {
  return cart ? { ...cart, lines: cart.lines.map((l) => (l.id === line.id ? line : l)) } : cart;
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
    onSuccess: (line) => qc.setQueryData<Cart>(key, (old) => replaceLine(old, line)),
    onError: (error, _v, ctx) => {
      const current = staleLine(error);
      if (current) qc.setQueryData<Cart>(key, (old) => replaceLine(old ?? ctx?.previous, current));
      else if (ctx?.previous) qc.setQueryData(key, ctx.previous);
    },
    onSettled: () => void qc.invalidateQueries({ queryKey: key }),
  });
}
