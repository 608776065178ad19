// GET /api/v1/rooms
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Room } from './get-room';

export function listRooms(signal?: AbortSignal): Promise<Room[]> {
  return api.get<Room[]>('/api/v1/rooms', { signal });
}

export const roomsQueryOptions = () => queryOptions({ queryKey: queryKeys.rooms(), queryFn: ({ signal }) => listRooms(signal) });

export function useRooms() {
  return useQuery(roomsQueryOptions());
}
