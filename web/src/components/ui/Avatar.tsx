import { initials, safeImageUrl } from '@/lib/format';

export interface AvatarProps {
  name: string;
  src?: string | null | undefined;
  size?: number;
  online?: boolean | undefined;
  ring?: boolean;
  /** The name is written next to it: hide the picture from screen readers (presence stays). */
  decorative?: boolean;
}

export function Avatar({ name, src, size = 36, online, ring, decorative }: AvatarProps) {
  const url = safeImageUrl(src);
  const hue = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
  return (
    <span className={`avatar${ring ? ' avatar-ring' : ''}`} style={{ width: size, height: size, ['--avatar-hue' as string]: hue }} title={decorative ? undefined : name}>
      {url ? <img src={url} alt="" loading="lazy" /> : <span aria-hidden="true">{initials(name)}</span>}
      {decorative ? null : <span className="sr-only">{name}</span>}
      {online !== undefined ? (
        <span className={`presence-dot ${online ? 'is-online' : 'is-offline'}`} aria-label={online ? 'online' : 'offline'} role="img" />
      ) : null}
    </span>
  );
}
