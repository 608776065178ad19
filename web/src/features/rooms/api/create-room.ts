// POST /api/v1/rooms
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Room } from './get-room';

export type CreateRoomBody = Schema<'CreateRoomInput'>;

export function createRoom(body: CreateRoomBody): Promise<Room> {
  return api.post<Room>('/api/v1/rooms', body);
}

export function useCreateRoom() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: createRoom, onSuccess: () => void qc.invalidateQueries({ queryKey: queryKeys.rooms() }) });
}
