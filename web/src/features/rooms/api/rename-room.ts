// PATCH /api/v1/rooms/{room_id}
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { RoomDetail } from './get-room';

export function renameRoom(roomId: string, name: string): Promise<RoomDetail> {
  const body: Schema<'RenameRoomInput'> = { name };
  return api.patch<RoomDetail>(`/api/v1/rooms/${seg(roomId)}`, body);
}

export function useRenameRoom(roomId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => renameRoom(roomId, name),
    onSuccess: (room) => {
      qc.setQueryData(queryKeys.room(roomId), room);
      void qc.invalidateQueries({ queryKey: queryKeys.rooms() });
    },
  });
}
