/**
 * Bench dataset v1: 100 users user{i}@example.com / user{i} / password123, 500 logbooks
 * (owner user{j % 100}, dive dates over 2024), logbook j liked by users (j*7 + k*13) % 100 for
 * k in 0 … (j % 21) − 1, duplicates dropped. Indices start at 0.
 */
export const USERS = 100;
export const LOGBOOKS = 500;
export const PASSWORD = 'password123';

export const userEmail = (i: number) => `user${i}@example.com`;
export const userName = (i: number) => `user${i}`;

export function logbook(j: number) {
  const date = new Date(Date.UTC(2024, 0, 1) + Math.floor((j * 366) / LOGBOOKS) * 86_400_000);
  return {
    owner: j % USERS,
    dive_title: `Dive ${j}`,
    dive_site: ['Blue Hole', 'Sipadan', 'Jeju Munseom', 'Tubbataha', 'Raja Ampat'][j % 5],
    dive_date: date.toISOString().slice(0, 10),
    max_depth: 10 + (j % 30),
    bottom_time_seconds: 1_800 + (j % 40) * 60,
    weather: ['sunny', 'cloudy', 'rainy', 'stormy'][j % 4],
    type_of_dive: ['fun', 'training', 'night', 'deep', 'wreck'][j % 5],
    weight: 4 + (j % 6),
    start_pressure: 200,
    end_pressure: 50 + (j % 100),
    equipment: [
      ['BCD', 'Regulator'],
      ['Wetsuit', 'Fins'],
      ['Computer', 'Mask'],
    ][j % 3],
  };
}

/** The users (by index) who like logbook j. */
export function likersOf(j: number): number[] {
  const likers = new Set<number>();
  for (let k = 0; k < j % 21; k++) likers.add((j * 7 + k * 13) % USERS);
  return [...likers];
}

/** Buddy pairs (by user index, each pair once; stored in both directions): i with i + 1 and i + 7. */
export function buddyPairs(): Array<[number, number]> {
  const pairs = new Map<string, [number, number]>();
  for (let i = 0; i < USERS; i++) {
    for (const step of [1, 7]) {
      const pair: [number, number] = [Math.min(i, (i + step) % USERS), Math.max(i, (i + step) % USERS)];
      pairs.set(pair.join(), pair);
    }
  }
  return [...pairs.values()];
}

const DESTINATIONS = ['Great Barrier Reef', 'Galapagos', 'Maldives', 'Red Sea', 'Cenote Dos Ojos', 'Palau', 'Komodo'];
const SKILLS = ['Nitrox', 'Deep diving', 'Navigation', 'Night diving', 'Wreck diving', 'Buoyancy', 'Rescue'];

/** User i's bucket list: i % 4 destinations. */
export const bucketListOf = (i: number) =>
  Array.from({ length: i % 4 }, (_, k) => `Dive ${DESTINATIONS[(i + k * 3) % DESTINATIONS.length]}`);

/** User i's skills: 1 + i % 3 of them. */
export const skillsOf = (i: number) => Array.from({ length: 1 + (i % 3) }, (_, k) => SKILLS[(i + k * 2) % SKILLS.length]);

export const JOBS = 50;

/** Job n: posted by user (n * 3) % 100, one hour after job n − 1 (from 2024-01-01). */
export function job(n: number) {
  return {
    owner: (n * 3) % USERS,
    title: `${['Divemaster wanted', 'Buddy for a trip', 'Boat crew', 'Instructor wanted', 'Liveaboard spot'][n % 5]} #${n}`,
    location: ['Jeju', 'Busan', 'Cebu', 'Dahab', 'Okinawa'][n % 5],
    description: `Looking for a diver near ${['Blue Hole', 'Sipadan', 'Jeju Munseom', 'Tubbataha', 'Raja Ampat'][n % 5]}, post ${n}.`,
    created_at: new Date(Date.UTC(2024, 0, 1) + n * 3_600_000).toISOString(),
  };
}

/** Every second user (even i) has answered the preferences survey. */
export function preferencesOf(i: number) {
  if (i % 2) return undefined;
  return {
    residence: ['Seoul', 'Busan', 'Jeju', 'Tokyo'][i % 4],
    budget_min: String(100 + (i % 5) * 100),
    budget_max: String(600 + (i % 5) * 200),
    preferred_depth_range: ['5-18m', '18-30m', '30-40m'][i % 3],
    preferred_diving: ['boat', 'shore', 'wreck', 'macro'][i % 4],
  };
}

/** Logbook j has a comment by user (j * 3 + 1) % 100 when j % 5 == 0. */
export const commentOf = (j: number) =>
  j % 5 ? undefined : { author: (j * 3 + 1) % USERS, text: `Great dive at ${logbook(j).dive_site}, log ${j}!` };
