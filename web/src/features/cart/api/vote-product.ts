// PUT /api/v1/rooms/{room_id}/products/{product_id}/vote
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api, seg } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export type VoteValue = 1 | -1 | 0;
export interface VoteState {
  value: VoteValue;
  up: number;
  down: number;
}
type VotesCache = Record<string, VoteState>;

/** The caller's vote and tally (a `VoteView`) as the buttons show it; tolerant of a missing tally. */
export function normaliseVote(answer: Schema<'VoteView'> | unknown, sent: VoteValue): VoteState {
  const a = (answer && typeof answer === 'object' ? answer : {}) as Record<string, unknown>;
  const tally = (a.tally && typeof a.tally === 'object' ? a.tally : a) as Record<string, unknown>;
  const num = (...keys: string[]) => {
    for (const k of keys) if (typeof tally[k] === 'number') return tally[k] as number;
    return 0;
  };
  const rawValue = typeof a.value === 'number' ? a.value : typeof a.vote === 'number' ? a.vote : sent;
  const value = (rawValue > 0 ? 1 : rawValue < 0 ? -1 : 0) as VoteValue;
  return { value, up: num('up', 'ups', 'likes', 'up_votes'), down: num('down', 'downs', 'dislikes', 'down_votes') };
}

export async function voteProduct(roomId: string, productId: string, value: VoteValue): Promise<VoteState> {
  const body: Schema<'VoteInput'> = { value };
  return normaliseVote(await api.put<Schema<'VoteView'>>(`/api/v1/rooms/${seg(roomId)}/products/${seg(productId)}/vote`, body), value);
}

/** The caller's vote on a product as last answered by the server (no GET exists for one product). */
export function useVote(roomId: string, productId: string): VoteState | undefined {
  const { data } = useQuery<VotesCache>({ queryKey: queryKeys.votes(roomId), queryFn: () => ({}), initialData: {}, staleTime: Infinity });
  return data[productId];
}

export function useVoteProduct(roomId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ productId, value }: { productId: string; value: VoteValue }) => voteProduct(roomId, productId, value),
    onSuccess: (state, { productId }) => {
      qc.setQueryData<VotesCache>(queryKeys.votes(roomId), (old) => ({ ...(old ?? {}), [productId]: state }));
      void qc.invalidateQueries({ queryKey: queryKeys.polls(roomId) });
    },
  });
}
