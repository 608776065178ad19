import { describe, expect, it } from 'vitest';
import { tripBody } from './TripForm';

const draft = {
  destination: ' Goa ',
  start: '2026-12-20',
  end: '2026-12-24',
  tripType: 'beach' as const,
  climate: '' as const,
  occasion: 'none' as const,
  budget: '2500',
  chosen: ['u-ravi'],
  byHand: [
    { name: 'Tara', age: '8', gender: 'girls' as const },
    { name: ' ', age: '', gender: '' as const },
  ],
};

describe('tripBody', () => {
  it('builds the create body: dates to days, members then people by hand, budget as money', () => {
    expect(tripBody(draft, [{ user_id: 'u-asha' }, { user_id: 'u-ravi' }])).toEqual({
      destination: 'Goa',
      trip_type: 'beach',
      duration: 5,
      start_date: '2026-12-20',
      budget: { amount: '2500.00', currency: 'INR' },
      travelers: [{ user_id: 'u-ravi' }, { name: 'Tara', age: 8, gender: 'girls' }],
    });
  });

  it('sends a head count of one and three days when nothing is chosen', () => {
    const body = tripBody({ ...draft, start: '', end: '', budget: '', occasion: 'wedding', climate: 'cold', chosen: [], byHand: [] }, []);
    expect(body).toEqual({ destination: 'Goa', trip_type: 'beach', duration: 3, climate: 'cold', occasion: 'wedding', travelers: 1 });
  });
});
