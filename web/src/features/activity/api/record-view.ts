// POST /api/v1/rooms/{room_id}/products/{product_id}/view
// Logs a `viewed` activity under the caller's secret mode and broadcasts it.
// Servers without the route get the same effect through POST …/activities.
import { api, isApiError, seg } from '@/lib/api-client';
import type { Activity } from './list-activities';
import { postActivity } from './post-activity';

export async function recordView(roomId: string, productId: string): Promise<Activity> {
  try {
    return await api.post<Activity>(`/api/v1/rooms/${seg(roomId)}/products/${seg(productId)}/view`);
  } catch (error) {
    if (isApiError(error) && (error.status === 404 || error.status === 405)) {
      return postActivity(roomId, { action_type: 'viewed', product_id: productId });
    }
    throw error;
  }
}
