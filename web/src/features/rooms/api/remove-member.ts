// DELETE /api/v1/rooms/{room_id}/members/{user_id}
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { RoomDetail } from './get-room';

export function removeMember(roomId: string, userId: string): Promise<void> {
  return api.delete(`/api/v1/rooms/${seg(roomId)}/members/${seg(userId)}`);
}

export function useRemoveMember(roomId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => removeMember(roomId, userId),
    onSuccess: (_, userId) => {
      qc.setQueryData<RoomDetail>(queryKeys.room(roomId), (old) => (old ? { ...old, members: old.members.filter((m) => m.user_id !== userId) } : old));
      void qc.invalidateQueries({ queryKey: queryKeys.rooms() });
    },
  });
}
