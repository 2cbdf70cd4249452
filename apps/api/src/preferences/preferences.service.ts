import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ANSWERS, type PreferencesDto } from './dto/preferences.dto.js';
import { DETAIL_SQL, LIST_SQL, PREFERENCES_JSON } from './preferences.queries.js';

export const ALREADY_ANSWERED = 'You already have preferences; change them with PUT or PATCH /api/settings/preferences/{id}/.';

/**
 * The preferences survey, one row per diver (the unique index preferences_user_key), visible to its
 * owner only: every statement names the caller, so another diver's id reads as unknown (404).
 */
@Injectable()
export class PreferencesService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async page(userId: number, limit: number, offset: number): Promise<{ count: number; results: string }> {
    const [row] = await this.db.query(LIST_SQL, [userId, limit, offset]);
    return row;
  }

  async detail(userId: number, id: number): Promise<string> {
    const [row] = await this.db.query(DETAIL_SQL, [id, userId]);
    if (!row) throw new NotFoundException({ detail: 'Not found.' });
    return row.doc;
  }

  /** Two POSTs racing meet in the unique index: one inserts, the other gets the 400. */
  async create(userId: number, dto: PreferencesDto): Promise<string> {
    const fields = ANSWERS.filter((c) => dto[c] !== undefined);
    const [row] = await this.db.query(
      `INSERT INTO preferences AS p (user_id${fields.map((c) => `, ${c}`).join('')})
       VALUES ($1${fields.map((_, i) => `, $${i + 2}`).join('')})
       ON CONFLICT (user_id) DO NOTHING
       RETURNING ${PREFERENCES_JSON}::text AS doc`,
      [userId, ...fields.map((c) => dto[c])],
    );
    if (!row) throw new BadRequestException({ user: [ALREADY_ANSWERED] });
    return row.doc;
  }

  async update(userId: number, id: number, dto: PreferencesDto): Promise<string> {
    const fields = ANSWERS.filter((c) => dto[c] !== undefined);
    const sets = ['updated_at = now()', ...fields.map((c, i) => `${c} = $${i + 3}`)].join(', ');
    // TypeORM answers an UPDATE or DELETE with [rows, affected].
    const [[row]] = await this.db.query(
      `UPDATE preferences AS p SET ${sets} WHERE p.id = $1 AND p.user_id = $2 RETURNING ${PREFERENCES_JSON}::text AS doc`,
      [id, userId, ...fields.map((c) => dto[c])],
    );
    if (!row) throw new NotFoundException({ detail: 'Not found.' });
    return row.doc;
  }

  async remove(userId: number, id: number): Promise<void> {
    const [, affected] = await this.db.query('DELETE FROM preferences WHERE id = $1 AND user_id = $2', [id, userId]);
    if (!affected) throw new NotFoundException({ detail: 'Not found.' });
  }
}
