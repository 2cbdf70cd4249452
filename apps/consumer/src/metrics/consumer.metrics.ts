import { Counter, Gauge, Histogram } from 'prom-client';

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const SIZES = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000];

/**
 * The consumer's metrics, in prom-client's default registry, which `/metrics` on the health port
 * serves. Process-wide on purpose: the batcher and the delivery functions are plain code that every
 * worker builds with `new` or calls directly, and they record each queue's numbers themselves, so a
 * new batched queue is covered without wiring of its own. Labels are bounded: queue names, work
 * kinds, outcomes and error classes are all fixed sets in the code, never outside input.
 */
export const consumerMetrics = {
  received: new Counter({
    name: 'consumer_messages_received_total',
    help: 'Messages delivered to this consumer, by queue',
    labelNames: ['queue'],
  }),
  redelivered: new Counter({
    name: 'consumer_redeliveries_total',
    help: 'Deliveries the broker marked as redelivered (a consumer died or a channel closed before the ack)',
    labelNames: ['queue'],
  }),
  deadLettered: new Counter({
    name: 'consumer_dead_lettered_total',
    help: 'Messages this consumer sent to the dead-letter queue (malformed commands)',
    labelNames: ['queue'],
  }),
  requeued: new Counter({
    name: 'consumer_requeued_total',
    help: 'Messages handed back to their queue after an unexpected failure (counts towards the delivery limit)',
    labelNames: ['queue'],
  }),
  applied: new Counter({
    name: 'consumer_commands_applied_total',
    help: 'Commands whose batch was committed to Postgres, by queue (a like message carries several)',
    labelNames: ['queue'],
  }),
  batchSize: new Histogram({
    name: 'consumer_batch_size',
    help: 'Commands per committed batch, by queue',
    labelNames: ['queue'],
    buckets: SIZES,
  }),
  flushSeconds: new Histogram({
    name: 'consumer_batch_flush_seconds',
    help: 'Duration of the transaction that committed a batch (the successful attempt), by queue',
    labelNames: ['queue'],
    buckets: SECONDS,
  }),
  commitToAckSeconds: new Histogram({
    name: 'consumer_commit_to_ack_seconds',
    help: "From a batch's commit until its settle step (acks first, then what follows the commit) finished, by queue",
    labelNames: ['queue'],
    buckets: SECONDS,
  }),
  publishToAckSeconds: new Histogram({
    name: 'consumer_publish_to_ack_seconds',
    help: "From the API's publish (its x-published-at header) to this consumer's ack, by queue",
    labelNames: ['queue'],
    buckets: SECONDS,
  }),
  pausedSeconds: new Counter({
    name: 'consumer_paused_seconds_total',
    help: 'Time batches waited for Postgres (commits failing, consumption paused), by queue',
    labelNames: ['queue'],
  }),
  workSeconds: new Histogram({
    name: 'consumer_work_duration_seconds',
    help: 'Units of work (recognitions, recommendations…) by outcome, with their durations',
    labelNames: ['work', 'outcome'],
    buckets: SECONDS,
  }),
  outsideCalls: new Counter({
    name: 'consumer_outside_service_calls_total',
    help: 'Calls to outside services (each try), by service',
    labelNames: ['service'],
  }),
  outsideErrors: new Counter({
    name: 'consumer_outside_service_errors_total',
    help: 'Failed calls to outside services, by service and error class',
    labelNames: ['service', 'class'],
  }),
  notifications: new Counter({
    name: 'consumer_notifications_fanned_out_total',
    help: 'Notifications inserted by the consumer, by type',
    labelNames: ['type'],
  }),
  ready: new Gauge({
    name: 'consumer_ready',
    help: '1 while the consumer consumes with RabbitMQ connected (what /health/ready answers 200 for), else 0',
  }),
};

/**
 * Times one unit of work: call it when the work starts and the function it returns once with the
 * outcome, e.g. `const done = timeWork('recommendation'); …; done('ok')`.
 */
export function timeWork(work: string): (outcome: string) => void {
  const end = consumerMetrics.workSeconds.startTimer({ work });
  return (outcome) => void end({ outcome });
}
