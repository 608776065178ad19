import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import { Button } from '@/components/ui/Button';
import { EmptyState } from '@/components/ui/EmptyState';
import { SkeletonList } from '@/components/ui/Skeleton';
import { useToast } from '@/components/ui/Toast';
import { countOf, timeAgo } from '@/lib/format';
import { useRealtime, useTyping } from '@/lib/realtime-react';
import { useNow } from '@/lib/use-now';
import { hiddenFrom, useActivities, type Activity } from '../api/list-activities';
import { usePostActivity } from '../api/post-activity';
import { useRevealActivity } from '../api/reveal-activity';
import { groupActivities, memberChangeOf, namedThen, verbOf } from './describe';

export interface PersonRef {
  user_id: string;
  name: string;
  avatar?: string | null;
}

export interface ActivityFeedProps {
  roomId: string;
  meId: string | undefined;
  members: PersonRef[];
  canPost: boolean;
  renderProductThumb: (productId: string) => ReactNode;
  onOpenProduct: (productId: string) => void;
}

export function ActivityFeed({ roomId, meId, members, canPost, renderProductThumb, onOpenProduct }: ActivityFeedProps) {
  const feed = useActivities(roomId);
  const now = useNow();
  const byId = useMemo(() => new Map(members.map((m) => [m.user_id, m])), [members]);
  const visible = useMemo(() => (feed.data?.items ?? []).filter((a) => a.action_type !== 'viewed'), [feed.data]);
  const groups = useMemo(() => groupActivities(visible), [visible]);
  const scroller = useRef<HTMLOListElement>(null);
  const reveal = useRevealActivity(roomId);
  const toast = useToast();
  // A member no longer in the room is named as a membership activity
  // recorded them (`namedThen`), when it did.
  const nameOf = (id: string, then?: string, unknown = 'Someone') =>
    id === meId ? 'You' : (byId.get(id)?.name ?? then ?? unknown);
  // The same, later in a sentence: "Asha made you an admin".
  const nameOfMember = (id: string, then: string | undefined) => (id === meId ? 'you' : nameOf(id, then, 'a former member'));

  // Stay pinned to the newest entry unless the reader scrolled up.
  const pinned = useRef(true);
  useEffect(() => {
    const el = scroller.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [groups.length]);

  return (
    <section className="feed" aria-label="Room activity">
      {feed.isPending ? (
        <SkeletonList rows={5} label="Loading activity" />
      ) : feed.isError ? (
        <EmptyState icon="⚠️" title="Could not load the activity" action={<Button onClick={() => void feed.refetch()}>Try again</Button>} />
      ) : groups.length === 0 ? (
        <EmptyState icon="💬" title="Nothing here yet">
          Likes, votes, cart changes and messages from the family show up here.
        </EmptyState>
      ) : (
        <ol
          className="feed-list"
          ref={scroller}
          aria-live="polite"
          aria-relevant="additions"
          onScroll={(e) => {
            const el = e.currentTarget;
            pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
          }}
        >
          {groups.map((g) => {
            const person = byId.get(g.userId);
            const first = g.items[0]!;
            const secretFrom = g.items.some((a) => a.is_secret) ? hiddenFrom(first).map((id) => byId.get(id)?.name ?? 'someone') : null;
            const mine = g.userId === meId;
            if (g.kind === 'message') {
              return (
                <li key={g.key} className={`feed-msg${mine ? ' mine' : ''}${first.is_secret ? ' secret' : ''}`}>
                  {!mine ? <Avatar name={person?.name ?? '?'} src={person?.avatar} size={28} decorative /> : null}
                  <div className="bubble">
                    {!mine ? <strong className="bubble-name">{person?.name ?? 'Someone'}</strong> : null}
                    <p>{first.message}</p>
                    <span className="feed-time">
                      {timeAgo(first.created_at, now)}
                      {secretFrom ? <SecretMark names={secretFrom} /> : null}
                    </span>
                  </div>
                </li>
              );
            }
            const products = g.items.map((a) => a.product_id).filter((p): p is string => !!p);
            const actorThen = namedThen(first, g.userId);
            return (
              <li key={g.key} className={`feed-item${first.is_secret ? ' secret' : ''}`}>
                <Avatar name={person?.name ?? actorThen ?? '?'} src={person?.avatar} size={28} decorative />
                <div className="feed-body">
                  <p>
                    <strong>{nameOf(g.userId, actorThen)}</strong> {memberChangeOf(first, nameOfMember) ?? verbOf(g.action, mine)}
                    {products.length > 1 ? ` ${countOf(products.length, 'item')}` : ''}
                    {(g.action === 'trip_planned' || g.action === 'trip_updated') && typeof first.metadata?.destination === 'string' ? ` to ${first.metadata.destination}` : ''}
                    {g.action === 'voted' && typeof first.metadata?.value === 'number' ? (first.metadata.value > 0 ? ' 👍' : first.metadata.value < 0 ? ' 👎' : '') : ''}
                  </p>
                  {first.action_type === 'commented' && first.message ? <p className="feed-quote">“{first.message}”</p> : null}
                  {products.length ? (
                    <div className="feed-thumbs">
                      {products.slice(0, 4).map((pid) => (
                        <button key={pid} type="button" className="thumb-btn" onClick={() => onOpenProduct(pid)}>
                          {renderProductThumb(pid)}
                        </button>
                      ))}
                      {products.length > 4 ? <span className="muted">+{products.length - 4}</span> : null}
                    </div>
                  ) : null}
                  <span className="feed-time">
                    {timeAgo(g.at, now)}
                    {secretFrom ? <SecretMark names={secretFrom} /> : null}
                    {mine && first.is_secret && g.items.length === 1 ? (
                      <button
                        type="button"
                        className="link-btn"
                        onClick={() => reveal.mutate(first.id, { onSuccess: () => toast.show('Revealed to the whole room', 'success'), onError: (e) => toast.error(e) })}
                      >
                        Reveal
                      </button>
                    ) : null}
                  </span>
                </div>
              </li>
            );
          })}
        </ol>
      )}
      <TypingLine roomId={roomId} meId={meId} nameOf={nameOf} />
      {canPost ? <Composer roomId={roomId} /> : <p className="muted small">Viewers can read the room but not post.</p>}
    </section>
  );
}

export function SecretMark({ names }: { names: string[] }) {
  return (
    <span className="secret-mark" title={names.length ? `Hidden from ${names.join(', ')}` : 'Secret'}>
      🤫 {names.length ? `hidden from ${names.join(', ')}` : 'secret'}
    </span>
  );
}

function TypingLine({ roomId, meId, nameOf }: { roomId: string; meId: string | undefined; nameOf: (id: string) => string }) {
  const typing = useTyping(roomId).filter((id) => id !== meId);
  const text = typing.length === 0 ? '' : typing.length === 1 ? `${nameOf(typing[0]!)} is typing…` : `${typing.length} people are typing…`;
  return (
    <p className="typing-line" aria-live="polite">
      {text}
    </p>
  );
}

// The text being written survives a reload or a session refresh in this tab.
const draftKey = (roomId: string) => `familyroom.chat_draft.${roomId}`;

function Composer({ roomId }: { roomId: string }) {
  const [text, setText] = useState(() => sessionStorage.getItem(draftKey(roomId)) ?? '');
  const post = usePostActivity(roomId);
  const realtime = useRealtime();
  const toast = useToast();
  useEffect(() => {
    if (text) sessionStorage.setItem(draftKey(roomId), text);
    else sessionStorage.removeItem(draftKey(roomId));
  }, [roomId, text]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const message = text.trim();
    if (!message) return;
    post.mutate(
      { action_type: 'message', message },
      {
        onSuccess: () => setText(''),
        onError: (err) => toast.error(err, 'Message not sent'),
      },
    );
  };
  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor={`composer-${roomId}`} className="sr-only">
        Message the room
      </label>
      <input
        id={`composer-${roomId}`}
        placeholder="Message the family…"
        value={text}
        maxLength={2000}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value) realtime?.sendTyping(roomId);
        }}
      />
      <Button type="submit" size="sm" busy={post.isPending} disabled={!text.trim()}>
        Send
      </Button>
    </form>
  );
}

export type { Activity };
