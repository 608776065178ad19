// POST /api/v1/rooms/join
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export type JoinAnswer = Schema<'JoinedRoom'>;

/** Accepts a bare code or a whole invite link (…/join/CODE). */
export function parseInviteCode(text: string): string {
  const trimmed = text.trim();
  const m = /\/join\/([^/?#\s]+)/.exec(trimmed);
  return m ? decodeURIComponent(m[1]!) : trimmed;
}

export function joinRoom(inviteCode: string): Promise<JoinAnswer> {
  const body: Schema<'JoinRoomInput'> = { invite_code: parseInviteCode(inviteCode) };
  return api.post<JoinAnswer>('/api/v1/rooms/join', body);
}

export function useJoinRoom() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: joinRoom, onSuccess: () => void qc.invalidateQueries({ queryKey: queryKeys.rooms() }) });
}
