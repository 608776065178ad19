// DELETE /api/v1/rooms/{room_id}
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export function deleteRoom(roomId: string): Promise<void> {
  return api.delete(`/api/v1/rooms/${seg(roomId)}`);
}

export function useDeleteRoom(roomId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => deleteRoom(roomId),
    onSuccess: () => {
      qc.removeQueries({ queryKey: queryKeys.room(roomId) });
      void qc.invalidateQueries({ queryKey: queryKeys.rooms() });
    },
  });
}
