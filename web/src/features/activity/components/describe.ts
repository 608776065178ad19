import type { Activity } from '../api/list-activities';

const VERBS: Record<string, string> = {
  viewed: 'looked at',
  liked: 'liked',
  unliked: 'no longer likes',
  commented: 'commented on',
  reacted: 'reacted to',
  voted: 'voted on',
  added_to_cart: 'added to the cart',
  removed_from_cart: 'removed from the cart',
  updated_cart: 'changed in the cart',
  added_to_wishlist: 'wished for',
  removed_from_wishlist: 'took off the wishlist',
  shared: 'shared',
  joined: 'joined the room',
  left: 'left the room',
  removed: 'was removed from the room',
  role_changed: 'has a new role',
  revealed: 'revealed a surprise',
  trip_planned: 'planned a trip',
  trip_updated: 'updated a trip',
  price_changed: 'saw a price change on',
};

export function verbOf(action: string): string {
  return VERBS[action] ?? action.replace(/_/g, ' ');
}

export interface FeedGroup {
  key: string;
  kind: 'message' | 'action';
  userId: string;
  action: string;
  items: Activity[];
  at: string;
}

const GROUP_WINDOW_MS = 15 * 60_000;

/** Consecutive same-person same-action activities within 15 minutes become one line ("Asha liked 3 items"). */
export function groupActivities(items: readonly Activity[]): FeedGroup[] {
  const groups: FeedGroup[] = [];
  for (const a of items) {
    const kind = a.action_type === 'message' ? 'message' : 'action';
    const last = groups[groups.length - 1];
    const t = Date.parse(a.created_at);
    const lastT = last ? Date.parse(last.at) : NaN;
    const joinable =
      last &&
      kind === 'action' &&
      last.kind === 'action' &&
      last.userId === a.user_id &&
      last.action === a.action_type &&
      !!a.product_id &&
      a.action_type !== 'commented' &&
      Math.abs(t - lastT) < GROUP_WINDOW_MS;
    if (joinable && last) {
      if (!last.items.some((x) => x.product_id === a.product_id)) last.items.push(a);
      last.at = a.created_at;
    } else {
      groups.push({ key: a.id, kind, userId: a.user_id, action: a.action_type, items: [a], at: a.created_at });
    }
  }
  return groups;
}
