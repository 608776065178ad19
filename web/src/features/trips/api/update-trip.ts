// PATCH /api/v1/rooms/{room_id}/trips/{trip_id}: line edits, all or none.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Trip } from './get-trip';

export type UpdateTripBody = Schema<'UpdateTripInput'>;
export type LineEdit = Schema<'LineEdit'>;

export function updateTrip(roomId: string, tripId: string, body: UpdateTripBody): Promise<Trip> {
  return api.patch<Trip>(`/api/v1/rooms/${seg(roomId)}/trips/${seg(tripId)}`, body);
}

/** The plan with the edits applied, as the server will answer (shopping totals aside). */
export function applyEdits(trip: Trip, edits: LineEdit[]): Trip {
  const byId = new Map(edits.filter((e) => e.id).map((e) => [e.id!, e]));
  return {
    ...trip,
    packing_list: trip.packing_list.map((line) => {
      const e = byId.get(line.id);
      if (!e) return line;
      return {
        ...line,
        ...(e.checked != null ? { checked: e.checked } : {}),
        ...(e.quantity != null ? { quantity: e.quantity } : {}),
        ...(e.owned != null ? { owned: e.owned } : {}),
        ...('product_id' in e ? { product_id: e.product_id ?? null } : {}),
      };
    }),
  };
}

/**
 * Line edits, shown at once: `edit` writes them into the cached trip before
 * the request starts (a controlled checkbox must not flip back while the
 * mutation warms up), again after cancelling an in-flight refetch that could
 * overwrite them, and rolls back if the server refuses.
 */
export function useUpdateTrip(roomId: string, tripId: string) {
  const qc = useQueryClient();
  const key = queryKeys.trip(roomId, tripId);
  const mutation = useMutation({
    mutationFn: ({ edits }: { edits: LineEdit[]; previous?: Trip }) => updateTrip(roomId, tripId, { lines: edits }),
    onMutate: async ({ edits }) => {
      await qc.cancelQueries({ queryKey: key, exact: true });
      const now = qc.getQueryData<Trip>(key);
      if (now) qc.setQueryData<Trip>(key, applyEdits(now, edits));
    },
    onError: (_err, { previous }) => {
      if (previous) qc.setQueryData(key, previous);
    },
    onSuccess: (trip) => qc.setQueryData(key, trip),
  });
  const edit = (edits: LineEdit[], options?: { onError?: (err: Error) => void }) => {
    const previous = qc.getQueryData<Trip>(key);
    if (previous) qc.setQueryData<Trip>(key, applyEdits(previous, edits));
    mutation.mutate({ edits, previous }, options);
  };
  return { ...mutation, edit };
}
