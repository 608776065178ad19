// POST /api/v1/rooms/{room_id}/transfer
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { RoomDetail } from './get-room';

export function transferOwnership(roomId: string, userId: string): Promise<RoomDetail> {
  const body: Schema<'TransferInput'> = { user_id: userId };
  return api.post<RoomDetail>(`/api/v1/rooms/${seg(roomId)}/transfer`, body);
}

export function useTransferOwnership(roomId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => transferOwnership(roomId, userId),
    onSuccess: (room) => {
      qc.setQueryData(queryKeys.room(roomId), room);
      void qc.invalidateQueries({ queryKey: queryKeys.rooms() });
    },
  });
}
