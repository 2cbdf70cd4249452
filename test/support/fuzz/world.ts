import { type Diver, signupAndSignin, type TestApi } from '../api.js';
import { createLogbook, PNG } from '../fixtures.js';
import { ONLY } from './driver.js';
import type { Operation, Param, Schema, World } from './types.js';

// The world, and the operations of the document.

const as = (d: Diver) => ({ Authorization: `Bearer ${d.access}` });

export async function buildWorld(api: TestApi): Promise<World> {
  const http = () => api.http();
  const owner = await signupAndSignin(api, 'fuzzer');
  const other = await signupAndSignin(api, 'bystander');
  const again = await http().post('/api/auths/signin/').send({ email: owner.email, password: owner.password }).expect(200);
  const comment = async (d: Diver, logbook: number) => {
    const res = await http().post(`/api/logbooks/${logbook}/comments`).set(as(d)).send({ text: 'nice' }).expect(201);
    return res.body.id as number;
  };
  const photo = async (d: Diver) => {
    const res = await http().post('/api/photo/').set(as(d)).field('title', 'reef').attach('image', PNG, 'fish.png').expect(201);
    return res.body.id as number;
  };
  // An uploaded file that no photo uses yet, for the image_url of photo creations.
  const presigned = await http().get('/api/photo/generate_presigned_url/?filename=f.png&filetype=image/png').set(as(owner)).expect(200);
  const put = new URL(presigned.body.uploadUrl);
  await http().put(`${put.pathname}${put.search}`).set('Content-Type', 'image/png').send(PNG).expect(200);
  // The owner's and the other diver's own rows behind every other id route, so that the fuzz reaches
  // their writes (and the 403s and 404s of someone else's), not only unknown ids.
  const created = async (d: Diver, path: string, body: object) => {
    const res = await http().post(path).set(as(d)).send(body).expect(201);
    return res.body.id as number;
  };
  const both = (path: string, body: object) => Promise.all([owner, other].map((d) => created(d, path, body)));
  const [bucketList, skill, job, preferences] = [
    await both('/api/mypage/bucketlists/', { title: 'Sipadan' }),
    await both('/api/mypage/myskills/', { skill: 'Nitrox' }),
    await both('/api/home/jobs/', { title: 'Divemaster wanted', location: 'Jeju' }),
    await both('/api/settings/preferences/', { residence: 'Seoul' }),
  ];
  const mine = await createLogbook(api, owner.access);
  const theirs = await createLogbook(api, other.access);
  const comments = [await comment(owner, mine), await comment(other, mine), await comment(other, theirs)];
  return {
    owner,
    other,
    ids: {
      logbook: [mine, theirs],
      comment: comments,
      photo: [await photo(owner), await photo(other)],
      user: [owner.id, other.id],
      bucketList,
      skill,
      job,
      preferences,
    },
    refresh: [owner.refresh, again.body.refresh, other.refresh],
    fileUrl: presigned.body.fileUrl,
  };
}

interface Spec {
  parameters?: Param[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

/** The operations of the served document; the deletions last, the most nested first. */
export async function readOperations(api: TestApi): Promise<Operation[]> {
  const doc = (await api.http().get('/api/docs-json').expect(200)).body;
  const schemas: Record<string, Schema> = doc.components?.schemas ?? {};
  const resolve = (s: Schema): Schema => (s.$ref ? resolve(schemas[s.$ref.split('/').pop()!]) : s);
  const paths = Object.entries<Record<string, Spec>>(doc.paths);
  const ops = paths.flatMap(([path, item]) =>
    Object.entries(item).map(([method, spec]): Operation => {
      const content = spec.requestBody?.content ?? {};
      const schema = Object.values(content)[0]?.schema;
      const writes = method !== 'get';
      return {
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        params: spec.parameters ?? [],
        body: schema && resolve(schema),
        multipart: 'multipart/form-data' in content,
        publishes: (writes && /\/like\/?$/.test(path)) || /\/classify\/?$/.test(path) || (writes && /\/recommend\/spots\/?$/.test(path)),
      };
    }),
  );
  const kept = ops.filter((o) => o.key.includes(ONLY));
  const deletes = kept.filter((o) => o.method === 'DELETE');
  deletes.sort((a, b) => b.path.length - a.path.length);
  return [...kept.filter((o) => o.method !== 'DELETE'), ...deletes];
}
