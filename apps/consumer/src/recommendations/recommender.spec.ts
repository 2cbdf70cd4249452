import { RecommenderError, validateSpots } from './recommender.js';

const spot = (over: Record<string, unknown> = {}) => ({ region: 'Blue Corner', country: 'Palau', intro: 'Sharks.', ...over });

describe('validateSpots', () => {
  it('keeps exactly the three spots, trimmed, without extra fields', () => {
    expect(validateSpots([spot({ region: '  Blue Corner ', extra: 1 }), spot(), spot({ country: '' })])).toEqual([
      spot(),
      spot(),
      spot({ country: '' }),
    ]);
  });

  it.each([
    ['not a list', { spots: [] }, /not answer a list/],
    ['two spots', [spot(), spot()], /answered 2 spots instead of 3/],
    ['four spots', [spot(), spot(), spot(), spot()], /answered 4 spots/],
    ['a spot that is not an object', [spot(), 'x', spot()], /Spot 2 .* no region/],
    ['a missing intro', [spot(), spot(), { region: 'a', country: 'b' }], /Spot 3 .* no intro/],
    ['a region of blanks', [spot({ region: ' \t ' }), spot(), spot()], /empty region/],
    ['a region over 120 characters', [spot({ region: 'r'.repeat(121) }), spot(), spot()], /region longer than 120/],
    ['an intro over 1000 characters', [spot(), spot({ intro: 'i'.repeat(1001) }), spot()], /intro longer than 1000/],
    ['a number for a country', [spot({ country: 7 }), spot(), spot()], /no country/],
  ])('refuses %s', (_, answer, reason) => {
    expect(() => validateSpots(answer)).toThrow(RecommenderError);
    expect(() => validateSpots(answer)).toThrow(reason);
  });

  it('removes what Postgres would refuse (NUL, lone surrogates) and other control characters', () => {
    const [first] = validateSpots([spot({ region: 'Blue\u0000Corner\ud800', intro: 'line one\nline\u0007two' }), spot(), spot()]);
    expect(first.region).toBe('Blue Corner\ufffd');
    expect(first.intro).toBe('line one\nline two');
  });
});
