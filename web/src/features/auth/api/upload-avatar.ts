// POST /api/v1/me/avatar (multipart, field `file`)
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { User } from './get-me';

export type AvatarAnswer = User;

export function uploadAvatar(file: File): Promise<AvatarAnswer> {
  const form = new FormData();
  form.append('file', file);
  return api.request<AvatarAnswer>('POST', '/api/v1/me/avatar', { form });
}

export function useUploadAvatar() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: uploadAvatar,
    onSuccess: (answer) => {
      qc.setQueryData<User>(queryKeys.me(), answer);
    },
  });
}
