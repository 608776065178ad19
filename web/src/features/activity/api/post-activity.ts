// POST /api/v1/rooms/{room_id}/activities
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api, seg } from '@/lib/api-client';
import { appendLive, type FeedData } from '@/lib/activity-feed';
import { queryKeys } from '@/lib/query-keys';
import type { Activity } from './list-activities';

/** The action types a client may post; the server writes the others. */
export type ClientActionType = Extract<Schema<'ActionType'>, 'viewed' | 'liked' | 'unliked' | 'commented' | 'reacted' | 'shared' | 'message'>;

export type PostActivityBody = Schema<'PostActivityInput'> & { action_type: ClientActionType };

export function postActivity(roomId: string, body: PostActivityBody): Promise<Activity> {
  return api.post<Activity>(`/api/v1/rooms/${seg(roomId)}/activities`, body);
}

export function usePostActivity(roomId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PostActivityBody) => postActivity(roomId, body),
    // The socket brings it too; the feed keeps one copy by id.
    onSuccess: (activity) => {
      if (activity && typeof activity.id === 'string') {
        qc.setQueryData<FeedData<Activity>>(queryKeys.activities(roomId), (old) => (old ? appendLive(old, activity) : old));
      }
    },
  });
}
