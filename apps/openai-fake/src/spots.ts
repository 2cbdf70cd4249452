import { createHash } from 'node:crypto';

const SPOTS: Array<[region: string, country: string, intro: string]> = [
  ['Blue Corner, Koror', 'Palau', 'A current-swept wall where reef sharks and schooling jacks gather; hook in and watch.'],
  ['Barracuda Point, Sipadan', 'Malaysia', 'A tornado of barracuda over a steep wall, with turtles resting on every ledge.'],
  ['SS Yongala, Queensland', 'Australia', 'A century-old wreck in open water, covered in coral and visited by rays and groupers.'],
  ['Richelieu Rock, Surin', 'Thailand', 'A horseshoe of pinnacles rich in macro life, with whale sharks passing in season.'],
  ['Tubbataha Reefs, Sulu Sea', 'Philippines', 'Remote atolls reached by liveaboard, with pristine walls and pelagic encounters.'],
  ['Cape Kri, Raja Ampat', 'Indonesia', 'One of the richest reefs counted, with fish life at every depth.'],
  ['Ras Mohammed, Sinai', 'Egypt', 'Coral walls dropping into the deep blue at the tip of the Sinai, with shark and tuna schools.'],
  ['Great Blue Hole, Lighthouse Reef', 'Belize', 'A vast marine sinkhole with stalactites below 40 metres, for experienced divers.'],
  ['Silfra Fissure, Thingvellir', 'Iceland', 'Glacial water of extraordinary clarity between two continental plates, dived in drysuits.'],
  ['Munseom, Seogwipo', 'South Korea', 'Soft corals and kelp off Jeju, with easy boat access and varied depths.'],
];

/** The same request always gives the same three distinct spots, so tests can predict the answer. */
export function spotsFor(seed: string, count = 3): Array<{ region: string; country: string; intro: string }> {
  const digest = createHash('sha256').update(seed).digest();
  const picked: number[] = [];
  for (let i = 0; picked.length < Math.min(count, SPOTS.length); i++) {
    const index = digest[i % digest.length] % SPOTS.length;
    if (!picked.includes(index)) picked.push(index);
    else if (i > 64) picked.push(SPOTS.findIndex((_, j) => !picked.includes(j)));
  }
  const spots = picked.map((i) => ({ region: SPOTS[i][0], country: SPOTS[i][1], intro: SPOTS[i][2] }));
  // More than the list holds (a fault asking for many): repeat, which a client must refuse anyway.
  while (spots.length < count) spots.push(spots[spots.length % SPOTS.length]);
  return spots;
}
