// PATCH /api/v1/rooms/{room_id}/trips/{trip_id}
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { PackingItem, TripPlan } from './get-trip';

// Assumed body: any of the create fields plus `packing_list` with `checked`,
// `quantity` and `product_id` per item. The contract leaves PATCH open.
export interface UpdateTripBody {
  packing_list?: PackingItem[];
  destination?: string;
  occasion?: string;
}

export function updateTrip(roomId: string, tripId: string, body: UpdateTripBody): Promise<TripPlan> {
  return api.patch<TripPlan>(`/api/v1/rooms/${seg(roomId)}/trips/${seg(tripId)}`, body);
}

export function useUpdateTrip(roomId: string, tripId: string) {
  const qc = useQueryClient();
  const key = queryKeys.trip(roomId, tripId);
  return useMutation({
    mutationFn: (body: UpdateTripBody) => updateTrip(roomId, tripId, body),
    onMutate: async (body) => {
      await qc.cancelQueries({ queryKey: key });
      const previous = qc.getQueryData<TripPlan>(key);
      if (previous) qc.setQueryData<TripPlan>(key, { ...previous, ...body } as TripPlan);
      return { previous };
    },
    onSuccess: (trip) => {
      if (trip && Array.isArray(trip.packing_list)) qc.setQueryData(key, trip);
    },
  });
}
