// The API's types, generated into schema.d.ts by `npm run api:gen` from the
// server's OpenAPI snapshot (docs/api/openapi.json). This file only names
// them; it defines no shape of its own.
import type { components, operations, paths } from './schema';

export type { components, operations, paths };

export type Schemas = components['schemas'];
/** One named schema of the API, e.g. `Schema<'UserView'>`. */
export type Schema<K extends keyof Schemas> = Schemas[K];
