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
