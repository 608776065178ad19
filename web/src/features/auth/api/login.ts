// POST /api/v1/auth/login
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { AuthAnswer } from './register';

export type LoginBody = Schema<'LoginInput'>;

export function login(body: LoginBody): Promise<AuthAnswer> {
  return api.post<AuthAnswer>('/api/v1/auth/login', body, { auth: false });
}

/** `keepCache`: a re-login over an expired session keeps the page's data and forms. */
export function useLogin({ keepCache = false }: { keepCache?: boolean } = {}) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (answer) => {
      const previous = qc.getQueryData<{ id?: string }>(queryKeys.me());
      if (!keepCache || (previous?.id && previous.id !== answer.user.id)) qc.clear();
      api.setTokens(answer);
      qc.setQueryData(queryKeys.me(), answer.user);
    },
  });
}
