// The form's lists of trip types, climates and occasions are the enums the
// API document gives for them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIMATES, OCCASIONS, TRIP_TYPES } from './create-trip';

const spec = JSON.parse(readFileSync(join(__dirname, '../../../../../docs/api/openapi.json'), 'utf8')) as {
  components: { schemas: Record<string, { enum?: string[] }> };
};
const valuesOf = (component: string) => spec.components.schemas[component]?.enum ?? [];

describe('trip enums', () => {
  it('match the values the API documents', () => {
    expect([...TRIP_TYPES].sort()).toEqual(valuesOf('TripTypeName').sort());
    expect([...CLIMATES].sort()).toEqual(valuesOf('ClimateName').sort());
    expect([...OCCASIONS].sort()).toEqual(valuesOf('OccasionName').sort());
  });
});
