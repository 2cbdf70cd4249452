import 'reflect-metadata';
import { EnvError, validateEnv } from '@app/config';
import { SmtpSinkEnv } from './smtp-sink.config.js';
import { createSmtpSink } from './smtp-sink.server.js';

/** Local SMTP sink, so that the stack sends (and tests read) mail without a real SMTP server. */
async function main(): Promise<void> {
  const env = validateEnv(SmtpSinkEnv);
  const { smtp, http } = createSmtpSink(env, (line) => console.log(line));
  const close = () => smtp.close(() => void http.close().then(() => process.exit(0)));
  process.on('SIGTERM', close).on('SIGINT', close);
  await new Promise<void>((listening, failed) => {
    smtp.once('error', failed);
    smtp.listen(env.SMTP_SINK_PORT, env.SMTP_SINK_HOST, () => listening());
  });
  await http.listen({ port: env.SMTP_SINK_HTTP_PORT, host: env.SMTP_SINK_HOST });
  console.log(
    `smtp sink: SMTP on ${env.SMTP_SINK_HOST}:${env.SMTP_SINK_PORT}, received mail at http://${env.SMTP_SINK_HOST}:${env.SMTP_SINK_HTTP_PORT}/messages`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
});
