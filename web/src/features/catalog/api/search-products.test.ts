import { describe, expect, it } from 'vitest';
import { parsePriceRange, priceOption } from './search-products';
import { normaliseSuggestions } from './suggest-products';

describe('price facets', () => {
  it('turns index buckets (minor units, exclusive max) into inclusive major-unit filters', () => {
    const under = priceOption({ min_minor: 0, max_minor: 50_000, count: 4 });
    expect(under.value).toBe('0-499.99');
    expect(under.label).toBe('Under ₹500');
    expect(parsePriceRange(under.value)).toEqual({ min: '0', max: '499.99' });
    const top = priceOption({ min_minor: 500_000, max_minor: null, count: 1 });
    expect(top.label).toBe('₹5,000 and more');
    expect(parsePriceRange(top.value)).toEqual({ min: '5000' });
  });

  it('keeps {value, count} entries as they are', () => {
    expect(priceOption({ value: '1000-1999', count: 3 })).toEqual({ value: '1000-1999', count: 3, label: '1000-1999' });
  });
});

describe('normaliseSuggestions', () => {
  it('accepts strings, objects and wrapped lists, without duplicates', () => {
    expect(normaliseSuggestions(['blue kurta', 'blue kurta', 'blue shirt'])).toEqual(['blue kurta', 'blue shirt']);
    expect(normaliseSuggestions({ items: [{ text: 'saree' }, { value: 'sandals' }] })).toEqual(['saree', 'sandals']);
    expect(normaliseSuggestions({ suggestions: ['x'] })).toEqual(['x']);
    expect(normaliseSuggestions(null)).toEqual([]);
  });
});
