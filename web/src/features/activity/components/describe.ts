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
  removed: 'removed a member from the room',
  role_changed: "changed a member's role",
  revealed: 'revealed a surprise',
  trip_planned: 'planned a trip',
  trip_updated: 'updated a trip',
  price_changed: 'saw a price change on',
};

/** Where "You" takes another form of the verb than a member's name does. */
const VERBS_AFTER_YOU: Record<string, string> = {
  unliked: 'no longer like',
};

/** The words after the actor's name: "Asha no longer likes", "You no longer like". */
export function verbOf(action: string, actorIsYou = false): string {
  return (actorIsYou ? VERBS_AFTER_YOU[action] : undefined) ?? VERBS[action] ?? action.replace(/_/g, ' ');
}

/**
 * The name the server recorded for `userId` in a membership activity
 * (`metadata.name`: the member who joined or left, or the member a change is
 * about), so that the feed can name a member who is no longer in the room.
 */
export function namedThen(activity: Activity, userId: string): string | undefined {
  const { name, user_id: about } = activity.metadata ?? {};
  const aboutThem = about === undefined ? activity.user_id === userId : about === userId;
  return typeof name === 'string' && aboutThem ? name : undefined;
}

/**
 * The words after the actor's name for a change the actor made to another
 * member (the server names that member in `metadata.user_id`, and the new
 * role in `metadata.role`): "Asha made Ravi an admin", "You removed Meera
 * from the room". `null` for any other activity, or one without its member.
 */
export function memberChangeOf(
  activity: Activity,
  nameOfMember: (userId: string, namedThen: string | undefined) => string,
): string | null {
  const target = activity.metadata?.user_id;
  if (typeof target !== 'string') return null;
  const who = nameOfMember(target, namedThen(activity, target));
  if (activity.action_type === 'removed') return `removed ${who} from the room`;
  if (activity.action_type !== 'role_changed') return null;
  const role = activity.metadata?.role;
  if (role === 'owner') return `made ${who} the owner`;
  if (typeof role === 'string') return `made ${who} ${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;
  return `changed ${who}'s role`;
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
