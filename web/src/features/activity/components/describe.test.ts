import { describe, expect, it } from 'vitest';
import type { Activity } from '../api/list-activities';
import { likesOf } from './ProductSocial';
import { groupActivities, memberChangeOf, namedThen, verbOf } from './describe';

// The API document types metadata as an object of unknown fields.
const meta = (fields: Record<string, string>) => ({ metadata: fields as unknown as Activity['metadata'] });
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

describe('verbOf', () => {
  it('agrees with "You" where the verb has another form after it', () => {
    expect(verbOf('unliked')).toBe('no longer likes');
    expect(verbOf('unliked', true)).toBe('no longer like');
  });

  it('keeps a past tense as it is, and spells out an action it does not know', () => {
    expect(verbOf('liked', true)).toBe('liked');
    expect(verbOf('joined')).toBe('joined the room');
    expect(verbOf('gift_wrapped', true)).toBe('gift wrapped');
  });
});

describe('memberChangeOf', () => {
  const names: Record<string, string> = { u2: 'Meera', me: 'you' };
  const nameOfMember = (id: string, then: string | undefined) => names[id] ?? then ?? 'a former member';

  it('names the member the actor changed, not the actor, with the new role', () => {
    expect(memberChangeOf(a('1', 'me', 'role_changed', null, 0, meta({ user_id: 'u2', role: 'viewer', from: 'member' })), nameOfMember)).toBe('made Meera a viewer');
    expect(memberChangeOf(a('2', 'u1', 'role_changed', null, 0, meta({ user_id: 'me', role: 'admin' })), nameOfMember)).toBe('made you an admin');
    expect(memberChangeOf(a('3', 'u1', 'role_changed', null, 0, meta({ user_id: 'u2', role: 'owner' })), nameOfMember)).toBe('made Meera the owner');
    expect(memberChangeOf(a('4', 'me', 'removed', null, 0, meta({ user_id: 'u9' })), nameOfMember)).toBe('removed a former member from the room');
    // A member no longer in the room, by the name the server recorded then.
    expect(memberChangeOf(a('7', 'me', 'removed', null, 0, meta({ user_id: 'u9', name: 'Kabir' })), nameOfMember)).toBe('removed Kabir from the room');
  });

  it('leaves other activities, and one without its member, to verbOf', () => {
    expect(memberChangeOf(a('5', 'u1', 'removed', null, 0), nameOfMember)).toBeNull();
    expect(memberChangeOf(a('6', 'u1', 'liked', 'p1', 0, meta({ user_id: 'u2' })), nameOfMember)).toBeNull();
    expect(verbOf('removed')).toBe('removed a member from the room');
  });
});

describe('namedThen', () => {
  it('gives the recorded name of the member an activity is about, and of no one else', () => {
    const joined = a('1', 'u9', 'joined', null, 0, meta({ name: 'Kabir' }));
    expect(namedThen(joined, 'u9')).toBe('Kabir');
    expect(namedThen(joined, 'u1')).toBeUndefined();
    const removed = a('2', 'u1', 'removed', null, 0, meta({ user_id: 'u9', name: 'Kabir' }));
    expect(namedThen(removed, 'u9')).toBe('Kabir');
    expect(namedThen(removed, 'u1')).toBeUndefined();
    expect(namedThen(a('3', 'u1', 'liked', 'p', 0), 'u1')).toBeUndefined();
  });
});
