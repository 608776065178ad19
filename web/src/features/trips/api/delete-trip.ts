// DELETE /api/v1/rooms/{room_id}/trips/{trip_id}
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export function deleteTrip(roomId: string, tripId: string): Promise<void> {
  return api.delete(`/api/v1/rooms/${seg(roomId)}/trips/${seg(tripId)}`);
}

export function useDeleteTrip(roomId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (tripId: string) => deleteTrip(roomId, tripId),
    onSuccess: (_, tripId) => {
      qc.removeQueries({ queryKey: queryKeys.trip(roomId, tripId) });
      void qc.invalidateQueries({ queryKey: queryKeys.trips(roomId), exact: true });
    },
  });
}
