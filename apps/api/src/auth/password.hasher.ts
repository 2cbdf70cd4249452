import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import argon2 from 'argon2';
import { authConfig, type AuthEnv } from './auth.config.js';

@Injectable()
export class PasswordHasher implements OnModuleInit {
  /** Verified against when the email is unknown, so a miss costs as much time as a wrong password. */
  private dummyHash = '';

  constructor(@Inject(authConfig.KEY) private readonly env: AuthEnv) {}

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash('not-a-real-password');
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, {
      type: argon2.argon2id,
      memoryCost: this.env.ARGON2_MEMORY_KIB,
      timeCost: this.env.ARGON2_TIME_COST,
      parallelism: 1,
    });
  }

  /** Whether a stored hash was made with another cost than the configured one (it is redone at sign-in). */
  needsRehash(hash: string): boolean {
    try {
      return argon2.needsRehash(hash, { memoryCost: this.env.ARGON2_MEMORY_KIB, timeCost: this.env.ARGON2_TIME_COST, parallelism: 1 });
    } catch {
      return true;
    }
  }

  async verify(hash: string | undefined, password: string): Promise<boolean> {
    try {
      const ok = await argon2.verify(hash ?? this.dummyHash, password);
      return ok && hash !== undefined;
    } catch {
      return false;
    }
  }
}
