import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { REDIS_CLIENT, type RedisClient } from './redis.provider.js';

/**
 * The process's one pub/sub connection (a subscribed connection can send nothing else), shared by
 * every listener and opened by the first. node-redis resubscribes by itself after a reconnect; a
 * listener that must know it may have missed messages passes `onLost`, called on every drop.
 */
@Injectable()
export class RedisSubscriber implements OnApplicationShutdown {
  private client: RedisClient | undefined;
  private connected: Promise<unknown> = Promise.resolve();

  constructor(@Inject(REDIS_CLIENT) private readonly redis: RedisClient) {}

  listen(channel: string, listener: (message: string) => void, onLost?: () => void): void {
    const client = this.connection();
    if (onLost) client.on('error', onLost).on('end', onLost);
    void this.connected.then(() => client.subscribe(channel, listener)).catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.client?.isOpen) await this.client.disconnect().catch(() => undefined);
  }

  private connection(): RedisClient {
    if (this.client) return this.client;
    const client = (this.client = this.redis.duplicate());
    client.on('error', () => undefined); // the main client already reports Redis trouble
    this.connected = client.connect();
    return client;
  }
}
