// GET /api/v1/me
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Schema } from '@/api';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import { useSignedIn } from '@/lib/session';

export type User = Schema<'UserView'>;
export type Sizes = Schema<'Sizes'>;
export type Preferences = Schema<'Preferences'>;
export type ShopperGender = Schema<'ShopperGender'>;
export type AgeBand = Schema<'AgeBand'>;

export const GENDERS = ['women', 'men', 'girls', 'boys', 'unisex'] as const satisfies readonly ShopperGender[];
export const AGE_BANDS = ['0-3', '4-12', '13-17', '18-34', '35-54', '55+'] as const satisfies readonly AgeBand[];

export function getMe(signal?: AbortSignal): Promise<User> {
  return api.get<User>('/api/v1/me', { signal });
}

export const meQueryOptions = () => queryOptions({ queryKey: queryKeys.me(), queryFn: ({ signal }) => getMe(signal), staleTime: 5 * 60_000 });

export function useMe() {
  const signedIn = useSignedIn();
  return useQuery({ ...meQueryOptions(), enabled: signedIn });
}
