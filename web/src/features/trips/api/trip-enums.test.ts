// The schema lists trip types, climates and occasions only in descriptions
// (plain strings on the wire); this keeps the form's lists equal to them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIMATES, OCCASIONS, TRIP_TYPES } from './create-trip';

const spec = JSON.parse(readFileSync(join(__dirname, '../../../../../docs/api/openapi.json'), 'utf8')) as {
  components: { schemas: Record<string, { properties: Record<string, { description?: string }> }> };
};
const valuesIn = (field: string) => [...(spec.components.schemas.CreateTripInput!.properties[field]!.description ?? '').matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);

describe('trip enums', () => {
  it('match the values the API documents', () => {
    expect([...TRIP_TYPES].sort()).toEqual(valuesIn('trip_type').sort());
    expect([...CLIMATES].sort()).toEqual(valuesIn('climate').sort());
    expect([...OCCASIONS].sort()).toEqual(valuesIn('occasion').sort());
  });
});
