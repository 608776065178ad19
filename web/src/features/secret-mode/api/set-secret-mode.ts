// PUT /api/v1/rooms/{room_id}/secret-mode
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { SecretModeState } from './get-secret-mode';

export type SecretModeBody = Schema<'SecretModeInput'>;

export function setSecretMode(roomId: string, body: SecretModeBody): Promise<SecretModeState> {
  return api.put<SecretModeState>(`/api/v1/rooms/${seg(roomId)}/secret-mode`, body);
}

export function useSetSecretMode(roomId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SecretModeBody) => setSecretMode(roomId, body),
    onSuccess: (state) => {
      qc.setQueryData(queryKeys.secretMode(roomId), state);
      // Carts, wishlists and recommendations are computed per viewer: refresh ours.
      void qc.invalidateQueries({ queryKey: queryKeys.cart(roomId) });
      void qc.invalidateQueries({ queryKey: queryKeys.wishlist(roomId) });
    },
  });
}
