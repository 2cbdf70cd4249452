import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { containsPattern } from '../common/sql-text.js';
import { SEARCH_SQL } from './search.queries.js';

@Injectable()
export class SearchService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Everything whose text contains `term` (case-insensitively), as JSON text: one statement. A named
   * one, straight on the pool (TypeORM cannot name statements): each connection parses it once, which
   * took longer than most searches run. It is still planned for each term (plan_cache_mode in the
   * data source's options): which plan is cheap depends on how many rows the term matches.
   */
  async search(term: string, mediaUrl: string): Promise<string> {
    const pool = (this.db.driver as PostgresDriver).master as Pool;
    const { rows } = await pool.query<{ doc: string }>({ name: 'search', text: SEARCH_SQL, values: [containsPattern(term), mediaUrl] });
    return rows[0].doc;
  }
}
