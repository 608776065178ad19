// GET /api/v1/products/suggest?q=
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

// The server answers a list of strings; the normaliser also tolerates objects
// ({text|value|title}) and wrapped lists, as the contract leaves the shape open.
export type SuggestAnswer = string[] | unknown;

export function normaliseSuggestions(answer: SuggestAnswer): string[] {
  const list = Array.isArray(answer)
    ? answer
    : answer && typeof answer === 'object'
      ? ((answer as Record<string, unknown>).items ?? (answer as Record<string, unknown>).suggestions ?? (answer as Record<string, unknown>).completions)
      : null;
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const item of list) {
    const text =
      typeof item === 'string'
        ? item
        : item && typeof item === 'object'
          ? ((item as Record<string, unknown>).text ?? (item as Record<string, unknown>).value ?? (item as Record<string, unknown>).title)
          : null;
    if (typeof text === 'string' && text && !out.includes(text)) out.push(text);
  }
  return out.slice(0, 8);
}

export const suggestOptions = (q: string) =>
  queryOptions({
    queryKey: queryKeys.suggest(q),
    queryFn: async ({ signal }) => normaliseSuggestions(await api.get<SuggestAnswer>('/api/v1/products/suggest', { query: { q }, signal })),
    staleTime: 5 * 60_000,
  });

export function useSuggestions(q: string) {
  const trimmed = q.trim();
  return useQuery({ ...suggestOptions(trimmed), enabled: trimmed.length >= 2, placeholderData: keepPreviousData });
}
