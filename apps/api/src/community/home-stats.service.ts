import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TOP_MEMBERS_SQL, TOP_SPOTS_SQL } from './community.queries.js';

/** The home page's rankings, one statement each whatever the number of divers and logbooks. */
@Injectable()
export class HomeStatsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async topMembers(): Promise<string> {
    const [row] = await this.db.query(TOP_MEMBERS_SQL);
    return row.doc;
  }

  async topSpots(): Promise<string> {
    const [row] = await this.db.query(TOP_SPOTS_SQL);
    return row.doc;
  }
}
