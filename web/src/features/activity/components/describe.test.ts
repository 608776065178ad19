import { describe, expect, it } from 'vitest';
import type { Activity } from '../api/list-activities';
import { likesOf } from './ProductSocial';
import { groupActivities } from './describe';

const at = (min: number) => new Date(Date.UTC(2026, 10, 23, 10, min)).toISOString();
const a = (id: string, user: string, action: Activity['action_type'], product: string | null, min: number, extra: Partial<Activity> = {}): Activity => ({
  id,
  room_id: 'r',
  user_id: user,
  action_type: action,
  product_id: product,
  created_at: at(min),
  cursor: `c${id}`,
  is_secret: false,
  metadata: {},
  visibility: 'everyone',
  ...extra,
});

describe('groupActivities', () => {
  it('groups one person liking several products in a short time', () => {
    const groups = groupActivities([a('1', 'asha', 'liked', 'p1', 0), a('2', 'asha', 'liked', 'p2', 3), a('3', 'asha', 'liked', 'p3', 5)]);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.items.map((x) => x.product_id)).toEqual(['p1', 'p2', 'p3']);
  });

  it('starts a new group for another person, another action, a message or a long gap', () => {
    const groups = groupActivities([
      a('1', 'asha', 'liked', 'p1', 0),
      a('2', 'ravi', 'liked', 'p2', 1),
      a('3', 'ravi', 'added_to_cart', 'p2', 2),
      a('4', 'ravi', 'message', null, 3, { message: 'hi' }),
      a('5', 'ravi', 'message', null, 4, { message: 'there' }),
      a('6', 'ravi', 'added_to_cart', 'p3', 50),
    ]);
    expect(groups.map((g) => g.key)).toEqual(['1', '2', '3', '4', '5', '6']);
  });
});

describe('likesOf', () => {
  it('counts the latest like or unlike of each person', () => {
    const likers = likesOf(
      [a('1', 'asha', 'liked', 'p1', 0), a('2', 'ravi', 'liked', 'p1', 1), a('3', 'asha', 'unliked', 'p1', 2), a('4', 'ravi', 'liked', 'p2', 3)],
      'p1',
    );
    expect([...likers]).toEqual(['ravi']);
  });
});
