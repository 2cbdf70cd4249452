import { type SiteStats, parseDepthRange, rankSites, recommendFrom, spotFrom, tasteOf } from './community.ranking.js';

const site = (name: string, over: Partial<SiteStats> = {}): SiteStats => ({
  site: name,
  logs: 1,
  minDepth: 15,
  maxDepth: 15,
  avgDepth: 15,
  likes: 0,
  types: {},
  weathers: {},
  dived: false,
  ...over,
});
const names = (sites: SiteStats[]) => sites.map((s) => s.site);

describe('parseDepthRange', () => {
  it.each([
    ['10–18m, 18–30m', { min: 10, max: 30 }],
    ['18-30 m', { min: 18, max: 30 }],
    ['about 20m', { min: 0, max: 20 }],
    ['5.5 to 12.5', { min: 5.5, max: 12.5 }],
  ])('%s → %o', (text, range) => {
    expect(parseDepthRange(text)).toEqual(range);
  });

  it.each([null, '', 'shallow please', '9999 m'])('%o → no preference', (text) => {
    expect(parseDepthRange(text)).toBeUndefined();
  });
});

describe('tasteOf', () => {
  it('reads the types of dive from the activities and the preferred diving', () => {
    const taste = tasteOf({
      preferred_activities: 'macro photo, Night dive',
      preferred_diving: 'boat, wrecks',
      preferred_depth_range: '10-18m',
    });
    expect([...taste.types].toSorted()).toEqual(['night', 'wreck']);
    expect(taste.depth).toEqual({ min: 10, max: 18 });
    expect(tasteOf(null)).toEqual({ depth: undefined, types: new Set() });
  });
});

describe('rankSites', () => {
  const taste = tasteOf({ preferred_depth_range: '10-18m', preferred_activities: 'wreck' });

  it('puts the depth fit before the type of dive, and both before likes', () => {
    const inRangeWreck = site('A', { avgDepth: 14, types: { wreck: 1 } });
    const inRange = site('B', { avgDepth: 16, types: { fun: 1 } });
    const deepPopular = site('C', { avgDepth: 40, types: { wreck: 1 }, likes: 500, logs: 50 });
    const near = site('D', { avgDepth: 22, types: { wreck: 1 } });
    // A: 3 + 2 + ~0; B: 3 + 0 + ~0; D: 3·0.6 + 2 = 3.8; C: 0 + 2 + 1 = 3.
    expect(names(rankSites([deepPopular, near, inRange, inRangeWreck], taste))).toEqual(['A', 'D', 'B', 'C']);
  });

  it('ranks sites the diver has not dived before every site they have', () => {
    const dived = site('Perfect', { avgDepth: 14, types: { wreck: 3 }, logs: 3, likes: 9, dived: true });
    const poor = site('Poor', { avgDepth: 60 });
    expect(names(rankSites([dived, poor], taste))).toEqual(['Poor', 'Perfect']);
  });

  it('breaks equal scores by logs, then likes, then name, whatever the input order', () => {
    // No preferences: every site has the same fit, so only popularity and the tie-breaks order them.
    const none = tasteOf(null);
    const sites = [
      site('Zeta', { logs: 2, likes: 2 }),
      site('Alpha', { logs: 2, likes: 2 }),
      site('Mid', { logs: 2, likes: 2 }),
      site('Liked', { logs: 1, likes: 3 }),
      site('Logged', { logs: 3, likes: 1 }),
    ];
    // popularity: Logged .5·1/3+.5 = .667, Liked .5+.5·1/3 = .667 (a tie: more logs first), the three others .5·2/3+.5·2/3 = .667 too.
    const expected = ['Logged', 'Alpha', 'Mid', 'Zeta', 'Liked'];
    expect(names(rankSites(sites, none))).toEqual(expected);
    expect(names(rankSites(sites.toReversed(), none))).toEqual(expected);
  });

  it('prefers more likes at equal fit and logs', () => {
    const none = tasteOf(null);
    expect(names(rankSites([site('A', { likes: 1 }), site('B', { likes: 5 }), site('C', { likes: 3 })], none))).toEqual(['B', 'C', 'A']);
  });
});

describe('spotFrom and recommendFrom', () => {
  it('takes the country from the last part of the name and builds the intro from the logs', () => {
    const spot = spotFrom(
      site('Blue Corner, Koror, Palau', {
        logs: 4,
        likes: 7,
        minDepth: 12,
        maxDepth: 28,
        avgDepth: 19.25,
        types: { fun: 1, wreck: 3 },
        weathers: { sunny: 3, cloudy: 1 },
      }),
    );
    expect(spot).toEqual({
      region: 'Blue Corner, Koror',
      country: 'Palau',
      intro: '4 community logs, 7 likes; max depths 12 m to 28 m (typically 19.3 m); mostly wreck and fun dives; usually sunny or cloudy.',
    });
    expect(spotFrom(site('Seogwipo'))).toMatchObject({
      region: 'Seogwipo',
      country: '',
      intro: '1 community log, 0 likes; max depth 15 m.',
    });
  });

  it('answers three spots in rank order, or none with fewer than three sites', () => {
    const taste = tasteOf({ preferred_depth_range: '30-40m' });
    const sites = [
      site('Shallow, KR', { avgDepth: 5 }),
      site('Deep, PH', { avgDepth: 35 }),
      site('Mid, JP', { avgDepth: 25 }),
      site('Wall, ID', { avgDepth: 33 }),
    ];
    expect(recommendFrom(sites, taste)?.map((s) => s.region)).toEqual(['Deep', 'Wall', 'Mid']);
    expect(recommendFrom(sites.slice(0, 2), taste)).toBeUndefined();
  });
});
