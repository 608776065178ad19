// POST /api/v1/auth/register
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export type RegisterBody = Schema<'RegisterInput'>;
export type AuthAnswer = Schema<'AuthSession'>;

export function register(body: RegisterBody): Promise<AuthAnswer> {
  return api.post<AuthAnswer>('/api/v1/auth/register', body, { auth: false });
}

export function useRegister() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: register,
    onSuccess: (answer) => {
      qc.clear();
      api.setTokens(answer);
      qc.setQueryData(queryKeys.me(), answer.user);
    },
  });
}
