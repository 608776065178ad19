// POST /api/v1/rooms/{room_id}/invite-code
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Room, RoomDetail } from './get-room';

export type RotateInviteBody = Schema<'RotateInviteInput'>;

export function rotateInviteCode(roomId: string, body: RotateInviteBody = {}): Promise<Room> {
  return api.post<Room>(`/api/v1/rooms/${seg(roomId)}/invite-code`, body);
}

export function useRotateInviteCode(roomId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RotateInviteBody | undefined) => rotateInviteCode(roomId, body),
    onSuccess: (room) => {
      qc.setQueryData<RoomDetail>(queryKeys.room(roomId), (old) => (old ? { ...old, ...room, members: old.members } : old));
      void qc.invalidateQueries({ queryKey: queryKeys.rooms() });
    },
  });
}

export function inviteLink(code: string): string {
  return `${window.location.origin}/join/${encodeURIComponent(code)}`;
}
