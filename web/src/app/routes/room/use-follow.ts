import { useEffect, useRef, useState } from 'react';
import { useViewing } from '@/lib/realtime-react';

const key = (roomId: string) => `familyroom.follow.${roomId}`;

/**
 * Follow mode: while following a member, every product they open is opened
 * here too (from the server's `viewing` frames, which the realtime module
 * keeps in the cache).
 */
export function useFollow(roomId: string, openProduct: (productId: string) => void) {
  const [leader, setLeader] = useState<string | null>(() => sessionStorage.getItem(key(roomId)));
  const viewing = useViewing(roomId);
  const handled = useRef(0);
  const open = useRef(openProduct);
  open.current = openProduct;

  useEffect(() => {
    if (leader) sessionStorage.setItem(key(roomId), leader);
    else sessionStorage.removeItem(key(roomId));
    // Starting to follow opens what the leader opened in the last minute, not older.
    handled.current = Date.now() - 60_000;
  }, [leader, roomId]);

  const seen = leader ? viewing[leader] : undefined;
  useEffect(() => {
    if (!seen || seen.at <= handled.current) return;
    handled.current = seen.at;
    if (seen.product_id) open.current(seen.product_id);
  }, [seen]);

  return {
    leader,
    follow: (userId: string) => setLeader((l) => (l === userId ? null : userId)),
    stop: () => setLeader(null),
    leaderProduct: seen?.product_id ?? null,
  };
}
