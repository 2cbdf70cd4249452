import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ownedItemQueries } from '../owned-items.queries.js';
import { assertOwnUser } from '../owner-field.js';
import type { SkillDto } from './dto/skill.dto.js';

const SQL = ownedItemQueries('skill_sets', 'skill');

/**
 * The caller's skills (the original let anyone edit anyone's); another diver's entry is not found.
 * No cached view lists skills, so writes bump nothing.
 */
@Injectable()
export class SkillsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async page(userId: number, limit: number, offset: number): Promise<{ count: number; results: string }> {
    const [row] = await this.db.query(SQL.page, [userId, limit, offset]);
    return row;
  }

  async one(userId: number, id: number): Promise<string> {
    return found(await this.db.query(SQL.one, [userId, id]));
  }

  async create(userId: number, dto: SkillDto): Promise<string> {
    assertOwnUser(dto.user, userId);
    return found(await this.db.query(SQL.insert, [userId, dto.skill]));
  }

  async update(userId: number, id: number, dto: Partial<SkillDto>): Promise<string> {
    assertOwnUser(dto.user, userId);
    const [rows] = await this.db.query(SQL.update, [userId, id, dto.skill ?? null]);
    return found(rows);
  }

  /** Any diver's skills, newest first; undefined for no such diver. */
  async ofDiver(id: number): Promise<string | undefined> {
    const [row] = await this.db.query(SQL.ofDiver, [id]);
    return row.found ? row.results : undefined;
  }

  async remove(userId: number, id: number): Promise<void> {
    const [, removed] = await this.db.query(SQL.remove, [userId, id]);
    if (!removed) throw notFound();
  }
}

const notFound = () => new NotFoundException({ detail: 'Not found.' });

/** The one row a scoped statement returned (UPDATE answers [rows, count]); none means not the caller's. */
function found(rows: Array<{ doc: string }>): string {
  if (!rows.length) throw notFound();
  return rows[0].doc;
}
