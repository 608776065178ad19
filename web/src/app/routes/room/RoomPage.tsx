// The room: composes the features (catalog, activity, cart, secret mode,
// recommendations, trips) around one room. Features never import each other;
// this page passes what one needs from another as props and render slots.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Button } from '@/components/ui/Button';
import { EmptyState } from '@/components/ui/EmptyState';
import { Skeleton } from '@/components/ui/Skeleton';
import { useToast } from '@/components/ui/Toast';
import { ActivityFeed, hiddenFrom, likesOf, ProductSocial, SecretMark, useActivities, useRecordView } from '@/features/activity';
import { useMe } from '@/features/auth';
import { CartDrawer, PollsPanel, ProductActions, useAddCartLine, useCartCount, WishlistPanel } from '@/features/cart';
import { ProductBrowser, ProductModal, productQueryOptions, productSizes, type Product } from '@/features/catalog';
import { RecommendationsPanel } from '@/features/recommendations';
import { InviteButton, MembersPanel, MemberStack, permissions, useRoom } from '@/features/rooms';
import { SecretModeBanner, SecretModeToggle, useSecretMode } from '@/features/secret-mode';
import { TripPlanner } from '@/features/trips';
import { countOf } from '@/lib/format';
import { isApiError } from '@/lib/api-client';
import type { ProductSearchParams } from '@/lib/query-keys';
import { useConnectionState, useRoomSubscription } from '@/lib/realtime-react';
import { useMediaQuery } from '@/lib/use-media-query';
import { ProductThumb } from './ProductThumb';
import { useFollow } from './use-follow';

const TABS = [
  { id: 'shop', label: 'Shop' },
  { id: 'feed', label: 'Activity' },
  { id: 'picks', label: 'For you' },
  { id: 'wishlist', label: 'Wishlist & votes' },
  { id: 'trips', label: 'Trips' },
] as const;
type TabId = (typeof TABS)[number]['id'];

const SEARCH_KEYS: (keyof ProductSearchParams)[] = ['q', 'category', 'brand', 'gender', 'colour', 'size', 'min_price', 'max_price', 'min_rating', 'sort'];

export default function RoomPage() {
  const { roomId = '' } = useParams();
  const room = useRoom(roomId);
  useRoomSubscription(roomId);

  if (room.isPending) {
    return (
      <main className="page" aria-busy="true">
        <div className="room-head">
          <Skeleton width={220} height={32} />
          <Skeleton width={160} height={32} radius={16} />
        </div>
        <div className="product-grid" role="status" aria-label="Loading the room">
          {Array.from({ length: 8 }, (_, i) => (
            <Skeleton key={i} height={260} radius={14} />
          ))}
        </div>
      </main>
    );
  }
  if (room.isError) {
    const e = room.error;
    const gone = isApiError(e) && (e.status === 404 || e.status === 403);
    return (
      <main className="page narrow">
        <EmptyState
          icon={gone ? '🚪' : '⚠️'}
          title={gone ? 'This room is not open to you' : 'Could not load the room'}
          action={
            gone ? (
              <Link className="btn btn-primary" to="/rooms">
                Your rooms
              </Link>
            ) : (
              <Button onClick={() => void room.refetch()}>Try again</Button>
            )
          }
        >
          {gone ? 'It may have been deleted, or you were removed from it.' : (e as Error).message}
        </EmptyState>
      </main>
    );
  }
  return <Room roomId={roomId} />;
}

function Room({ roomId }: { roomId: string }) {
  const { data: room } = useRoom(roomId);
  const me = useMe();
  const meId = me.data?.id;
  const qc = useQueryClient();
  const toast = useToast();
  const [params, setParams] = useSearchParams();
  const wide = useMediaQuery('(min-width: 1100px)');
  const [cartOpen, setCartOpen] = useState(false);
  const [membersOpen, setMembersOpen] = useState(false);

  const connection = useConnectionState();
  // The server tells others when this user comes online; this tab knows it first.
  const members = useMemo(
    () => (room?.members ?? []).map((m) => (m.user_id === meId && connection === 'open' && !m.is_online ? { ...m, is_online: true } : m)),
    [room, meId, connection],
  );
  const myRole = room?.my_role ?? members.find((m) => m.user_id === meId)?.role;
  const { canAct } = permissions(myRole);
  const secret = useSecretMode(roomId);
  const nameOf = useCallback((id: string) => (id === meId ? 'you' : (members.find((m) => m.user_id === id)?.name ?? 'someone')), [members, meId]);
  const cartCount = useCartCount(roomId);
  const feed = useActivities(roomId);
  const addLine = useAddCartLine(roomId);

  const requestedTab = (params.get('tab') as TabId | null) ?? 'shop';
  const tab: TabId = TABS.some((t) => t.id === requestedTab) ? (wide && requestedTab === 'feed' ? 'shop' : requestedTab) : 'shop';
  const productId = params.get('product');

  const searchParams = useMemo(() => {
    const out: ProductSearchParams = {};
    for (const k of SEARCH_KEYS) {
      const v = params.get(k);
      if (v) out[k] = v;
    }
    return out;
  }, [params]);

  const patchParams = useCallback(
    (patch: Record<string, string | null>, replace = false) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch)) {
            if (v) next.set(k, v);
            else next.delete(k);
          }
          return next;
        },
        { replace },
      ),
    [setParams],
  );
  const openProduct = useCallback((id: string) => patchParams({ product: id }), [patchParams]);
  const closeProduct = useCallback(() => patchParams({ product: null }), [patchParams]);
  const follow = useFollow(roomId, openProduct);
  // On narrow screens the tab strip scrolls sideways: keep the chosen tab in view.
  const tabsRef = useRef<HTMLElement>(null);
  useEffect(() => {
    const strip = tabsRef.current;
    const active = strip?.querySelector<HTMLElement>('.tab.on');
    if (strip && active) strip.scrollLeft = Math.max(0, active.offsetLeft - strip.clientWidth / 2 + active.clientWidth / 2);
  }, [tab]);
  useRecordView(roomId, productId, canAct);

  const leaderName = follow.leader ? (members.find((m) => m.user_id === follow.leader)?.name ?? 'a member') : null;

  // Marks on product cards: likes, and my own secret activity on it.
  const items = useMemo(() => feed.data?.items ?? [], [feed.data]);
  const renderCardExtra = (p: Product) => {
    const likers = likesOf(items, p.id);
    const mySecret = items.find((a) => a.product_id === p.id && a.user_id === meId && a.is_secret);
    if (!likers.size && !mySecret) return null;
    return (
      <>
        {likers.size ? <span className="small likes">♥ {likers.size}</span> : null}
        {mySecret ? <SecretMark names={hiddenFrom(mySecret).map(nameOf)} /> : null}
      </>
    );
  };

  const addFromTrip = async (pid: string, quantity: number, buyingFor: string | null) => {
    try {
      const product = await qc.fetchQuery(productQueryOptions(pid));
      const all = productSizes(product);
      const inStock = all.filter((s) => s.stock > 0);
      if (all.length > 0 && inStock.length !== 1) {
        openProduct(pid);
        toast.show(inStock.length ? 'Choose a size, then add it to the cart' : 'This one is sold out; try Swap');
        return;
      }
      addLine.mutate(
        { product_id: pid, size: inStock[0]?.size ?? 'One size', quantity, buying_for: buyingFor },
        { onSuccess: () => toast.show('Added to the family cart', 'success'), onError: (e) => toast.error(e) },
      );
    } catch (e) {
      toast.error(e);
    }
  };

  const loadSizes = useCallback(async (pid: string) => productSizes(await qc.fetchQuery(productQueryOptions(pid))), [qc]);
  const thumb = (pid: string) => <ProductThumb productId={pid} />;
  const feedEl = (
    <ActivityFeed roomId={roomId} meId={meId} members={members} canPost={canAct} renderProductThumb={thumb} onOpenProduct={openProduct} />
  );

  if (!room) return null;
  return (
    <main className={`room${secret.enabled ? ' secret-on' : ''}`}>
      <header className="room-head">
        <div className="room-title">
          <h1>{room.name}</h1>
          <MemberStack members={members} onClick={() => setMembersOpen(true)} />
        </div>
        <div className="room-actions">
          <SecretModeToggle roomId={roomId} meId={meId} members={members} />
          <label className="follow-select">
            <span className="sr-only">Follow a member</span>
            <select value={follow.leader ?? ''} onChange={(e) => (e.target.value ? follow.follow(e.target.value) : follow.stop())}>
              <option value="">Follow: nobody</option>
              {members
                .filter((m) => m.user_id !== meId)
                .map((m) => (
                  <option key={m.user_id} value={m.user_id}>
                    Follow {m.name}
                  </option>
                ))}
            </select>
          </label>
          <InviteButton room={room} myRole={myRole} />
          {/* Named by its content (no aria-label), read as "Family cart, N items". */}
          <Button variant="primary" size="sm" onClick={() => setCartOpen(true)}>
            <span aria-hidden="true">
              🛒 <span className="hide-sm">Cart</span>
            </span>
            {cartCount ? (
              <span className="count" aria-hidden="true">
                {cartCount}
              </span>
            ) : null}
            <span className="sr-only">{`Family cart, ${countOf(cartCount, 'item')}`}</span>
          </Button>
        </div>
      </header>
      <SecretModeBanner roomId={roomId} meId={meId} members={members} />
      {follow.leader ? (
        <div className="follow-bar" role="status">
          👣 Following <strong>{leaderName}</strong>: what they open opens here.
          <button type="button" className="link-btn" onClick={follow.stop}>
            Stop following
          </button>
        </div>
      ) : null}

      <nav className="tabs" aria-label="Room sections" ref={tabsRef}>
        {TABS.filter((t) => !(wide && t.id === 'feed')).map((t) => (
          <button
            key={t.id}
            type="button"
            className={`tab${tab === t.id ? ' on' : ''}`}
            aria-current={tab === t.id ? 'page' : undefined}
            onClick={() => patchParams({ tab: t.id === 'shop' ? null : t.id })}
          >
            {t.label}
          </button>
        ))}
      </nav>

      <div className="room-body">
        <div className="room-main">
          {tab === 'shop' ? (
            <ProductBrowser
              params={searchParams}
              onParamsChange={(next) => patchParams(Object.fromEntries(SEARCH_KEYS.map((k) => [k, next[k] ?? null])), true)}
              onOpenProduct={openProduct}
              renderCardExtra={renderCardExtra}
            />
          ) : tab === 'feed' ? (
            feedEl
          ) : tab === 'picks' ? (
            <RecommendationsPanel roomId={roomId} members={members} meId={meId} nameOf={nameOf} onOpenProduct={openProduct} />
          ) : tab === 'wishlist' ? (
            <div className="stack">
              <h2 className="h-section">Wishlist</h2>
              <WishlistPanel
                roomId={roomId}
                meId={meId}
                nameOf={nameOf}
                canAct={canAct}
                onOpenProduct={openProduct}
                renderProductThumb={thumb}
                loadSizes={loadSizes}
                renderSecretMark={(item) => (hiddenFrom(item as { visibility?: unknown }).length ? <SecretMark names={hiddenFrom(item as { visibility?: unknown }).map(nameOf)} /> : null)}
              />
              <h2 className="h-section">What the family thinks</h2>
              <PollsPanel roomId={roomId} onOpenProduct={openProduct} renderProductThumb={thumb} />
            </div>
          ) : (
            <TripPlanner roomId={roomId} members={members} meId={meId} canAct={canAct} onAddToCart={(pid, q, t) => void addFromTrip(pid, q, t)} onOpenProduct={openProduct} />
          )}
        </div>
        {wide ? <aside className="room-side">{feedEl}</aside> : null}
      </div>

      <ProductModal
        productId={productId}
        onClose={closeProduct}
        banner={
          follow.leader && follow.leaderProduct === productId ? (
            <p className="follow-note">
              👣 Opened by {leaderName}
            </p>
          ) : null
        }
        renderActions={(product, size) => (
          <ProductActions roomId={roomId} productId={product.id} size={size} needsSize={productSizes(product).length > 0} members={members} meId={meId} canAct={canAct} />
        )}
        renderSocial={(product) => <ProductSocial roomId={roomId} productId={product.id} meId={meId} members={members} canPost={canAct} />}
      />
      <CartDrawer
        roomId={roomId}
        open={cartOpen}
        onClose={() => setCartOpen(false)}
        members={members}
        meId={meId}
        canAct={canAct}
        onOpenProduct={(pid) => {
          setCartOpen(false);
          openProduct(pid);
        }}
        renderSecretMark={(line) => (hiddenFrom(line as { visibility?: unknown }).length ? <SecretMark names={hiddenFrom(line as { visibility?: unknown }).map(nameOf)} /> : null)}
      />
      <MembersPanel room={room} meId={meId} open={membersOpen} onClose={() => setMembersOpen(false)} onFollow={follow.follow} followingId={follow.leader} />
    </main>
  );
}
