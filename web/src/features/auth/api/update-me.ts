// PATCH /api/v1/me
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Schema } from '@/api';
import type { User } from './get-me';

export type UpdateMeBody = Schema<'UpdateMeInput'>;

export function updateMe(body: UpdateMeBody): Promise<User> {
  return api.patch<User>('/api/v1/me', body);
}

export function useUpdateMe() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: updateMe, onSuccess: (user) => qc.setQueryData(queryKeys.me(), user) });
}
