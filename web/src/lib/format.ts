// Display helpers. Money stays a decimal string on the wire; it is only
// turned into a number here, for display and for sums shown as estimates.

export interface MoneyLike {
  amount: string;
  currency: string;
}

export function isMoney(value: unknown): value is MoneyLike {
  return (
    !!value &&
    typeof value === 'object' &&
    typeof (value as MoneyLike).amount === 'string' &&
    typeof (value as MoneyLike).currency === 'string'
  );
}

const formatters = new Map<string, Intl.NumberFormat>();

export function formatMoney(value: unknown): string {
  if (!isMoney(value)) return '';
  const amount = Number(value.amount);
  if (!Number.isFinite(amount)) return `${value.amount} ${value.currency}`;
  const whole = Number.isInteger(amount);
  const key = `${value.currency}:${whole}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(value.currency === 'INR' ? 'en-IN' : undefined, {
        style: 'currency',
        currency: value.currency,
        maximumFractionDigits: whole ? 0 : 2,
        minimumFractionDigits: whole ? 0 : 2,
      });
    } catch {
      return `${value.amount} ${value.currency}`;
    }
    formatters.set(key, f);
  }
  return f.format(amount);
}

/** Percent off, 0 when not discounted or not comparable. */
export function discountPercent(price: unknown, original: unknown): number {
  if (!isMoney(price) || !isMoney(original) || price.currency !== original.currency) return 0;
  const p = Number(price.amount);
  const o = Number(original.amount);
  if (!(o > 0) || !(p < o)) return 0;
  return Math.round(((o - p) / o) * 100);
}

const relative = typeof Intl !== 'undefined' && 'RelativeTimeFormat' in Intl ? new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }) : null;

export function timeAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const seconds = Math.round((t - now) / 1000);
  const abs = Math.abs(seconds);
  if (!relative) return new Date(t).toLocaleString();
  if (abs < 45) return 'just now';
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), 'hour');
  if (abs < 86400 * 7) return relative.format(Math.round(seconds / 86400), 'day');
  return new Date(t).toLocaleDateString();
}

export function initials(name: string | null | undefined): string {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  const first = parts[0]?.[0] ?? '';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

/** Only URLs the CSP allows as images (self, data:, blob:) plus absolute http(s), which the server may proxy. */
export function safeImageUrl(url: unknown): string | undefined {
  if (typeof url !== 'string' || !url) return undefined;
  if (url.startsWith('/') || url.startsWith('data:image/') || url.startsWith('blob:') || /^https?:\/\//.test(url)) return url;
  return undefined;
}

/** "1 item", "3 items": a count with its noun, singular for exactly one. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
