// PATCH /api/v1/rooms/{room_id}/members/{user_id}
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { AssignableRole, Member, RoomDetail } from './get-room';

export function updateMemberRole(roomId: string, userId: string, role: AssignableRole): Promise<Member> {
  const body: Schema<'SetRoleInput'> = { role };
  return api.patch<Member>(`/api/v1/rooms/${seg(roomId)}/members/${seg(userId)}`, body);
}

export function useUpdateMemberRole(roomId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: AssignableRole }) => updateMemberRole(roomId, userId, role),
    onSuccess: (member, { userId, role }) =>
      qc.setQueryData<RoomDetail>(queryKeys.room(roomId), (old) =>
        old ? { ...old, members: old.members.map((m) => (m.user_id === userId ? { ...m, ...member, role: member?.role ?? role } : m)) } : old,
      ),
    onSettled: () => void qc.invalidateQueries({ queryKey: queryKeys.room(roomId), exact: true }),
  });
}
