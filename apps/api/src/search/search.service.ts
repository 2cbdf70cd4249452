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
   * one, straight on the pool (TypeORM cannot name statements): each connection parses and plans it
   * once, and planning six subqueries cost a third of the statement's time.
   */
  async search(term: string, mediaUrl: string): Promise<string> {
    const pool = (this.db.driver as PostgresDriver).master as Pool;
    const { rows } = await pool.query<{ doc: string }>({ name: 'search', text: SEARCH_SQL, values: [containsPattern(term), mediaUrl] });
    return rows[0].doc;
  }
}
