import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ViewCache } from '@app/cache';
import { NOT_OWNER } from '../logbook/logbooks.service.js';
import { CREATE_JOB_SQL, JOB_JSON, JOB_SQL, JOBS_PAGE_SQL } from './community.queries.js';
import type { CreateJobDto, UpdateJobDto } from './dto/job.dto.js';

const COLUMNS = ['title', 'location', 'description'] as const;

/**
 * The job board: public to read, posted by signed-in divers, changed and removed by the author only.
 * A write is one statement that names the author in its WHERE, so nobody else's post can change
 * between the check and the write; only a write that matched nothing looks again, to tell 404 from
 * 403. Every committed write bumps the jobs views.
 */
@Injectable()
export class JobsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly views: ViewCache,
  ) {}

  async page(limit: number, offset: number): Promise<{ count: number; results: string }> {
    const [row] = await this.db.query(JOBS_PAGE_SQL, [limit, offset]);
    return row;
  }

  async detail(id: number): Promise<string> {
    const [row] = await this.db.query(JOB_SQL, [id]);
    if (!row) throw new NotFoundException({ detail: 'Not found.' });
    return row.doc;
  }

  async create(userId: number, dto: CreateJobDto): Promise<string> {
    const [row] = await this.db.query(CREATE_JOB_SQL, [userId, dto.title, dto.location ?? null, dto.description ?? null]);
    await this.views.bump('jobs');
    return row.doc;
  }

  async update(userId: number, id: number, dto: UpdateJobDto): Promise<string> {
    const fields = COLUMNS.filter((c) => dto[c] !== undefined);
    // An empty PATCH still answers as a write would: the author gets the post, anyone else 403.
    const sets = fields.length ? fields.map((c, i) => `${c} = $${i + 3}`).join(', ') : 'title = j.title';
    // TypeORM answers an UPDATE or DELETE with [rows, affected].
    const [[row]] = await this.db.query(
      `UPDATE jobs AS j SET ${sets} WHERE j.id = $1 AND j.user_id = $2 RETURNING ${JOB_JSON}::text AS doc`,
      [id, userId, ...fields.map((c) => dto[c] ?? null)],
    );
    if (!row) await this.refuse(userId, id);
    if (fields.length) await this.views.bump('jobs');
    return row.doc;
  }

  async remove(userId: number, id: number): Promise<void> {
    const [, affected] = await this.db.query('DELETE FROM jobs WHERE id = $1 AND user_id = $2', [id, userId]);
    if (!affected) await this.refuse(userId, id);
    await this.views.bump('jobs');
  }

  /** Why a write by `userId` matched no row: there is no such post (404), or it is someone else's (403). */
  private async refuse(userId: number, id: number): Promise<never> {
    const [row] = await this.db.query('SELECT user_id FROM jobs WHERE id = $1', [id]);
    if (!row || row.user_id === userId) throw new NotFoundException({ detail: 'Not found.' });
    throw new ForbiddenException({ detail: NOT_OWNER });
  }
}
