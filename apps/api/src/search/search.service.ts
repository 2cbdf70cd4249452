import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { containsPattern } from '../common/sql-text.js';
import { SEARCH_SQL } from './search.queries.js';

@Injectable()
export class SearchService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Everything whose text contains `term` (case-insensitively), as JSON text: one statement. */
  async search(term: string, mediaUrl: string): Promise<string> {
    const [row] = await this.db.query(SEARCH_SQL, [containsPattern(term), mediaUrl]);
    return row.doc;
  }
}
