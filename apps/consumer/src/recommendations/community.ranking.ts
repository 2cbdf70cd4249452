import { SPOT_COUNT, SPOT_LIMITS, type RecommendedSpot } from './recommender.js';

/** What the community has logged at one dive site (sites are told apart by their trimmed, lower-cased name). */
export interface SiteStats {
  /** The site's name as logged (its most frequent spelling, chosen in SQL for determinism). */
  site: string;
  logs: number;
  minDepth: number;
  maxDepth: number;
  avgDepth: number;
  likes: number;
  /** Logs per type of dive and per weather, of those that say. */
  types: Record<string, number>;
  weathers: Record<string, number>;
  /** Whether the diver has logged it already. */
  dived: boolean;
}

/** What the ranking reads of the diver's survey. */
export interface Taste {
  depth?: { min: number; max: number };
  types: ReadonlySet<string>;
}

/** Words of the survey's free text that name a logged type of dive. */
const TYPE_WORDS: Record<string, RegExp> = {
  fun: /\b(fun|recreational|leisure|relax\w*)\b/i,
  training: /\b(training|course|learn\w*|certif\w*)\b/i,
  night: /\bnight\b/i,
  deep: /\b(deep|technical|tec)\b/i,
  wreck: /\bwrecks?\b/i,
};

/**
 * The preferred depth range from free text such as "10–18m, 18–30m", "about 20 m" or "< 12m": every
 * number in it, as the range from the smallest to the largest; a single number means down to it.
 */
export function parseDepthRange(text: string | null | undefined): { min: number; max: number } | undefined {
  const numbers =
    (text ?? '')
      .match(/\d+(?:\.\d+)?/g)
      ?.slice(0, 10)
      .map(Number) ?? [];
  const depths = numbers.filter((n) => n <= 400);
  if (depths.length === 0) return undefined;
  if (depths.length === 1) return { min: 0, max: depths[0] };
  return { min: Math.min(...depths), max: Math.max(...depths) };
}

export function tasteOf(preferences: Record<string, string | null> | null): Taste {
  const words = [preferences?.preferred_activities, preferences?.preferred_diving].filter(Boolean).join(' ');
  const types = new Set(Object.keys(TYPE_WORDS).filter((type) => TYPE_WORDS[type].test(words)));
  return { depth: parseDepthRange(preferences?.preferred_depth_range), types };
}

/** 1 when the site's typical depth lies in the range, falling to 0 ten metres outside it; 0.5 without a preference. */
function depthFit(site: SiteStats, taste: Taste): number {
  if (!taste.depth) return 0.5;
  const { min, max } = taste.depth;
  const off = site.avgDepth < min ? min - site.avgDepth : site.avgDepth > max ? site.avgDepth - max : 0;
  return Math.max(0, 1 - off / 10);
}

/** The share of the site's logs that are of a type the diver asked for; 0.5 without a preference. */
function typeFit(site: SiteStats, taste: Taste): number {
  if (taste.types.size === 0) return 0.5;
  let matching = 0;
  for (const type of taste.types) matching += site.types[type] ?? 0;
  return site.logs > 0 ? matching / site.logs : 0;
}

/**
 * Orders the sites for this diver: those not dived yet first, then by fit (depth counts most, then
 * the type of dive, then the community's likes and logs, relative to the best-liked and most-logged
 * candidate), then by logs, likes and name, so that equal data always gives the same order.
 */
export function rankSites(sites: readonly SiteStats[], taste: Taste): SiteStats[] {
  const maxLikes = Math.max(0, ...sites.map((s) => s.likes));
  const maxLogs = Math.max(0, ...sites.map((s) => s.logs));
  const score = (s: SiteStats) => {
    const popularity = 0.5 * (maxLikes > 0 ? s.likes / maxLikes : 0) + 0.5 * (maxLogs > 0 ? s.logs / maxLogs : 0);
    // Rounded so that sums of the same terms in another order compare equal.
    return Math.round((3 * depthFit(s, taste) + 2 * typeFit(s, taste) + popularity) * 1e6);
  };
  const scored = sites.map((site) => ({ site, score: score(site) }));
  scored.sort(
    (a, b) =>
      Number(a.site.dived) - Number(b.site.dived) ||
      b.score - a.score ||
      b.site.logs - a.site.logs ||
      b.site.likes - a.site.likes ||
      (a.site.site < b.site.site ? -1 : a.site.site > b.site.site ? 1 : 0),
  );
  return scored.map((s) => s.site);
}

const metres = (n: number) => `${Math.round(n * 10) / 10} m`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The keys of the largest counts, at most two, largest first (ties by name). */
function mostly(counts: Record<string, number>): string[] {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .toSorted(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .slice(0, 2)
    .map(([k]) => k);
}

/**
 * A spot from a site: the site's last comma-separated part is its country (map search names end with
 * one, e.g. "Blue Corner, Koror, Palau"), the rest its region; the intro says what the logs say.
 */
export function spotFrom(site: SiteStats): RecommendedSpot {
  const parts = site.site
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const country = parts.length > 1 ? parts.pop()! : '';
  const region = parts.join(', ') || site.site.trim();
  const depth =
    site.minDepth === site.maxDepth
      ? `max depth ${metres(site.maxDepth)}`
      : `max depths ${metres(site.minDepth)} to ${metres(site.maxDepth)} (typically ${metres(site.avgDepth)})`;
  const facts = [`${plural(site.logs, 'community log')}, ${plural(site.likes, 'like')}`, depth];
  const types = mostly(site.types);
  if (types.length) facts.push(`mostly ${types.join(' and ')} dives`);
  const weathers = mostly(site.weathers);
  if (weathers.length) facts.push(`usually ${weathers.join(' or ')}`);
  return {
    region: region.slice(0, SPOT_LIMITS.region),
    country: country.slice(0, SPOT_LIMITS.country),
    intro: `${facts.join('; ')}.`.slice(0, SPOT_LIMITS.intro),
  };
}

/** The top SPOT_COUNT sites as spots; fewer sites than that is no recommendation at all. */
export function recommendFrom(sites: readonly SiteStats[], taste: Taste): RecommendedSpot[] | undefined {
  const ranked = rankSites(sites, taste);
  return ranked.length < SPOT_COUNT ? undefined : ranked.slice(0, SPOT_COUNT).map(spotFrom);
}
