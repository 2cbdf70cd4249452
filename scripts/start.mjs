// `npm start`: the whole stack in one foreground command. Migrates first, then runs the API, the
// consumer and, unless real Fishial credentials are configured, the fake Fishial server, and unless an
// SMTP server is configured, the local SMTP sink (and the fake OpenAI-compatible endpoint when
// RECOMMENDER=openai names no OPENAI_BASE_URL). Ctrl-C stops them all; if one exits, the others are
// stopped too.
import { spawnSync } from 'node:child_process';
import concurrently from 'concurrently';

const dist = (app, entry = 'main') => `node dist/apps/${app}/apps/${app}/src/${entry}.js`;

const migrated = spawnSync('node', [`dist/apps/api/apps/api/src/migrate.js`], { stdio: 'inherit' });
if (migrated.status !== 0) process.exit(migrated.status ?? 1);

const env = { ...process.env };
const commands = [
  { name: 'api', command: dist('api'), prefixColor: 'blue' },
  { name: 'consumer', command: dist('consumer'), prefixColor: 'magenta' },
];
if (!env.FISHIAL_CLIENT_ID) {
  const port = env.FISHIAL_FAKE_PORT ?? '3100';
  env.FISHIAL_AUTH_URL ??= `http://127.0.0.1:${port}/v1/auth/token`;
  env.FISHIAL_API_URL ??= `http://127.0.0.1:${port}/v1`;
  commands.push({ name: 'fishial-fake', command: dist('fishial-fake'), prefixColor: 'green' });
}
// The OpenAI-compatible recommender without an endpoint of its own: the fake, with the key it accepts.
if (env.RECOMMENDER === 'openai' && !env.OPENAI_BASE_URL) {
  env.OPENAI_BASE_URL = `http://127.0.0.1:${env.OPENAI_FAKE_PORT ?? '3200'}/v1`;
  commands.push({ name: 'openai-fake', command: dist('openai-fake'), prefixColor: 'cyan' });
}

if (!env.SMTP_HOST) {
  env.SMTP_HOST = '127.0.0.1';
  env.SMTP_PORT = env.SMTP_SINK_PORT ??= '1025';
  commands.push({ name: 'smtp-sink', command: dist('smtp-sink'), prefixColor: 'yellow' });
}

const { result } = concurrently(
  commands.map((c) => ({ ...c, env })),
  { killOthersOn: ['failure', 'success'], prefix: 'name', killSignal: 'SIGTERM' },
);
result.then(
  () => process.exit(0),
  () => process.exit(1),
);
