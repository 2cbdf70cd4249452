import cluster from 'node:cluster';
import { AggregatorRegistry, type PrometheusContentType, register } from 'prom-client';

const ASK = 'scoopadive:cluster-metrics?';
const ANSWER = 'scoopadive:cluster-metrics';
const ANSWER_WITHIN_MS = 10_000;

interface Answer {
  type: typeof ANSWER;
  id: number;
  text?: string;
  error?: string;
}

/**
 * With API_WORKERS > 1 the primary gathers every worker's metrics for whichever worker a scrape
 * lands on (prom-client's AggregatorRegistry over the cluster's IPC channel): counters and
 * histograms summed, gauges as each declares (sum, max…), so `/metrics` describes the whole API, not
 * the one worker that answered. The primary itself serves nothing and records nothing.
 */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: string; id?: number }) => {
    if (message?.type !== ASK) return;
    const reply = (answer: Omit<Answer, 'type' | 'id'>) => {
      if (worker.isConnected()) worker.send({ type: ANSWER, id: message.id, ...answer });
    };
    aggregator.clusterMetrics().then(
      (text) => reply({ text }),
      (err: Error) => reply({ error: err.message }),
    );
  });
}

let nextId = 0;
/** Built once per worker: building it is what makes the worker answer the primary's requests. */
let responder: AggregatorRegistry<PrometheusContentType> | undefined;
const waiting = new Map<number, (answer: Answer) => void>();

/**
 * A worker's side: answers the primary's requests for its own metrics (the AggregatorRegistry does so
 * once built in a worker), and takes the primary's aggregate for the scrapes it serves. Call at boot,
 * so that every worker answers from its first scrape on.
 */
export function joinClusterMetrics(): void {
  if (!cluster.isWorker || responder) return;
  responder = new AggregatorRegistry();
  process.on('message', (message: Answer) => {
    if (message?.type !== ANSWER) return;
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
}

/** The metrics text a scrape gets: this process's, or every worker's when in a cluster. */
export async function metricsText(): Promise<string> {
  if (!cluster.isWorker) return register.metrics();
  const id = nextId++;
  const answer = await new Promise<Answer>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error(`no metrics from the primary within ${ANSWER_WITHIN_MS} ms`));
    }, ANSWER_WITHIN_MS);
    waiting.set(id, (a) => {
      clearTimeout(timer);
      resolve(a);
    });
    process.send!({ type: ASK, id });
  });
  if (answer.error !== undefined) throw new Error(`cluster metrics: ${answer.error}`);
  return answer.text ?? '';
}
