// POST /api/v1/rooms/{room_id}/activities/{activity_id}/reveal
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import type { FeedData } from '@/lib/activity-feed';
import { queryKeys } from '@/lib/query-keys';
import type { Activity } from './list-activities';

export function revealActivity(roomId: string, activityId: string): Promise<Activity> {
  return api.post<Activity>(`/api/v1/rooms/${seg(roomId)}/activities/${seg(activityId)}/reveal`);
}

export function useRevealActivity(roomId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (activityId: string) => revealActivity(roomId, activityId),
    onSuccess: (activity, activityId) =>
      qc.setQueryData<FeedData<Activity>>(queryKeys.activities(roomId), (old) =>
        old ? { ...old, items: old.items.map((a) => (a.id === activityId ? { ...a, ...activity } : a)) } : old,
      ),
  });
}
