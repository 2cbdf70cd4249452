// Runs one built app as `npm start` (scripts/start.mjs) runs it: a child of concurrently, whose
// process reads the app's output through a pipe, prefixes every line with the app's name and writes
// it on. `node bench/lib/npm-start.mjs [node flags…] <entry.js>`; the environment is passed through.
import concurrently from 'concurrently';

const args = process.argv.slice(2);
const { result } = concurrently([{ name: 'api', command: [process.execPath, ...args].join(' '), env: process.env }], {
  killOthersOn: ['failure', 'success'],
  prefix: 'name',
  killSignal: 'SIGTERM',
});
result.then(
  () => process.exit(0),
  () => process.exit(1),
);
