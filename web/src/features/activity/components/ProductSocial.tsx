import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import { Button } from '@/components/ui/Button';
import { useToast } from '@/components/ui/Toast';
import { appendLive, type FeedData } from '@/lib/activity-feed';
import { timeAgo } from '@/lib/format';
import { queryKeys } from '@/lib/query-keys';
import { useRealtime } from '@/lib/realtime-react';
import { useActivities, type Activity } from '../api/list-activities';
import { usePostActivity } from '../api/post-activity';
import { recordView } from '../api/record-view';
import type { PersonRef } from './ActivityFeed';

/** Likes of a product from the feed: who likes it now (the latest like/unlike of each person counts). */
export function likesOf(items: readonly Activity[], productId: string): Set<string> {
  const likers = new Set<string>();
  for (const a of items) {
    if (a.product_id !== productId) continue;
    if (a.action_type === 'liked') likers.add(a.user_id);
    else if (a.action_type === 'unliked') likers.delete(a.user_id);
  }
  return likers;
}

export interface ProductSocialProps {
  roomId: string;
  productId: string;
  meId: string | undefined;
  members: PersonRef[];
  canPost: boolean;
}

/** Like, comment, share, and who else looked: the room's side of a product, from the activity feed. */
export function ProductSocial({ roomId, productId, meId, members, canPost }: ProductSocialProps) {
  const { data } = useActivities(roomId);
  const items = useMemo(() => data?.items ?? [], [data]);
  const post = usePostActivity(roomId);
  const toast = useToast();
  const byId = useMemo(() => new Map(members.map((m) => [m.user_id, m])), [members]);
  const likers = likesOf(items, productId);
  const liked = !!meId && likers.has(meId);
  const comments = items.filter((a) => a.product_id === productId && a.action_type === 'commented');
  const lookers = [...new Set(items.filter((a) => a.product_id === productId && a.action_type === 'viewed' && a.user_id !== meId).map((a) => a.user_id))];
  const [comment, setComment] = useState('');

  const act = (body: Parameters<typeof post.mutate>[0], done?: () => void) =>
    post.mutate(body, { onSuccess: done, onError: (e) => toast.error(e) });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!comment.trim()) return;
    act({ action_type: 'commented', product_id: productId, message: comment.trim() }, () => setComment(''));
  };

  return (
    <div className="social">
      <div className="row wrap">
        <Button
          variant={liked ? 'primary' : 'secondary'}
          size="sm"
          aria-pressed={liked}
          disabled={!canPost || post.isPending}
          onClick={() => act({ action_type: liked ? 'unliked' : 'liked', product_id: productId })}
        >
          {liked ? '♥ Liked' : '♡ Like'}
          {likers.size ? <span className="count">{likers.size}</span> : null}
        </Button>
        <Button
          variant="ghost"
          size="sm"
          disabled={!canPost || post.isPending}
          onClick={() => act({ action_type: 'shared', product_id: productId }, () => toast.show('Shared with the room', 'success'))}
        >
          ↗ Share in room
        </Button>
      </div>
      {likers.size ? (
        <p className="muted small">Liked by {[...likers].map((id) => (id === meId ? 'you' : (byId.get(id)?.name ?? 'someone'))).join(', ')}</p>
      ) : null}
      <div className="lookers">
        <h3 className="h-small">Who else looked at it</h3>
        {lookers.length ? (
          <div className="row wrap">
            {lookers.map((id) => (
              <span key={id} className="looker">
                <Avatar name={byId.get(id)?.name ?? '?'} src={byId.get(id)?.avatar} size={24} decorative />
                {byId.get(id)?.name ?? 'Someone'}
              </span>
            ))}
          </div>
        ) : (
          <p className="muted small">Nobody else yet.</p>
        )}
      </div>
      <div className="comments">
        <h3 className="h-small">Comments {comments.length ? `(${comments.length})` : ''}</h3>
        <ul>
          {comments.map((c) => (
            <li key={c.id}>
              <strong>{c.user_id === meId ? 'You' : (byId.get(c.user_id)?.name ?? 'Someone')}</strong> {c.message}{' '}
              <span className="muted small">{timeAgo(c.created_at)}</span>
            </li>
          ))}
        </ul>
        {canPost ? (
          <form className="composer" onSubmit={submit}>
            <label htmlFor={`comment-${productId}`} className="sr-only">
              Add a comment
            </label>
            <input id={`comment-${productId}`} placeholder="What do you think?" value={comment} maxLength={2000} onChange={(e) => setComment(e.target.value)} />
            <Button type="submit" size="sm" disabled={!comment.trim()} busy={post.isPending}>
              Post
            </Button>
          </form>
        ) : null}
      </div>
    </div>
  );
}

const recentViews = new Map<string, number>();

/**
 * Tells the room which product this user has open: a `viewing` frame at
 * once (for followers) and a `viewed` activity at most every 10 minutes per
 * product (for "who else looked at it").
 */
export function useRecordView(roomId: string, productId: string | null, canPost: boolean): void {
  const realtime = useRealtime();
  const qc = useQueryClient();
  useEffect(() => {
    realtime?.sendViewing(roomId, productId);
    if (!productId || !canPost) return;
    const key = `${roomId}:${productId}`;
    const last = recentViews.get(key) ?? 0;
    if (Date.now() - last < 10 * 60_000) return;
    recentViews.set(key, Date.now());
    recordView(roomId, productId).then(
      (activity) => qc.setQueryData<FeedData<Activity>>(queryKeys.activities(roomId), (old) => (old && activity?.id ? appendLive(old, activity) : old)),
      () => recentViews.delete(key),
    );
  }, [realtime, qc, roomId, productId, canPost]);
  useEffect(() => () => realtime?.sendViewing(roomId, null), [realtime, roomId]);
}
