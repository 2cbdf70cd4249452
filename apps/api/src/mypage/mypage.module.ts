import { Module } from '@nestjs/common';
import { BucketListsModule } from './bucket-lists/bucket-lists.module.js';
import { BuddiesModule } from './buddies/buddies.module.js';
import { DiversModule } from './divers/divers.module.js';
import { SkillsModule } from './skills/skills.module.js';

/** Everything under /api/mypage/ (and the directory at /api/users/): divers, buddies, bucket lists, skills. */
@Module({
  imports: [DiversModule, BuddiesModule, BucketListsModule, SkillsModule],
})
export class MypageModule {}
