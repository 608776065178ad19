// GET /api/v1/rooms/{room_id}
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export type Role = Schema<'Role'>;
/** A role a change may give: the owner's moves only by a transfer. */
export type AssignableRole = Schema<'AssignableRole'>;
export type Room = Schema<'RoomView'>;
export type Member = Schema<'MemberView'>;
export type RoomDetail = Schema<'RoomDetail'>;

const RANK: Record<Role, number> = { owner: 3, admin: 2, member: 1, viewer: 0 };

export function roleRank(role: string | undefined): number {
  return role && role in RANK ? RANK[role as Role] : -1;
}

/** Who may do what, from the caller's role (the server decides; this only hides buttons). */
export function permissions(role: string | undefined) {
  const r = roleRank(role);
  return { canAct: r >= 1, canManage: r >= 2, isOwner: r >= 3 };
}

/** Roles the caller may give another member: an admin up to member, the owner up to admin. */
export function assignableRoles(callerRole: string | undefined): AssignableRole[] {
  const r = roleRank(callerRole);
  if (r >= 3) return ['admin', 'member', 'viewer'];
  if (r >= 2) return ['member', 'viewer'];
  return [];
}

export function getRoom(roomId: string, signal?: AbortSignal): Promise<RoomDetail> {
  return api.get<RoomDetail>(`/api/v1/rooms/${seg(roomId)}`, { signal });
}

export const roomQueryOptions = (roomId: string) =>
  queryOptions({ queryKey: queryKeys.room(roomId), queryFn: ({ signal }) => getRoom(roomId, signal) });

export function useRoom(roomId: string) {
  return useQuery(roomQueryOptions(roomId));
}
