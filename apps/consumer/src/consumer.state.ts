import { Global, Injectable, Module } from '@nestjs/common';

export type ConsumerStatus = 'starting' | 'consuming' | 'paused' | 'draining';

/** What readiness reports: the batchers pause it while Postgres is away, `main.ts` sets draining on SIGTERM. */
@Injectable()
export class ConsumerState {
  status: ConsumerStatus = 'starting';
}

@Global()
@Module({ providers: [ConsumerState], exports: [ConsumerState] })
export class ConsumerStateModule {}
