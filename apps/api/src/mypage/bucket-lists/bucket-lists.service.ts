import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ViewCache } from '@app/cache';
import { ownedItemQueries } from '../owned-items.queries.js';
import { assertOwnUser } from '../owner-field.js';
import type { BucketListDto } from './dto/bucket-list.dto.js';

const SQL = ownedItemQueries('bucket_lists', 'title');

/** The caller's bucket list; another diver's entry is not found. Writes bump the diver views, which list them. */
@Injectable()
export class BucketListsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly views: ViewCache,
  ) {}

  async page(userId: number, limit: number, offset: number): Promise<{ count: number; results: string }> {
    const [row] = await this.db.query(SQL.page, [userId, limit, offset]);
    return row;
  }

  async one(userId: number, id: number): Promise<string> {
    return found(await this.db.query(SQL.one, [userId, id]));
  }

  async create(userId: number, dto: BucketListDto): Promise<string> {
    assertOwnUser(dto.user, userId);
    const doc = found(await this.db.query(SQL.insert, [userId, dto.title]));
    await this.views.bump('bucket-lists');
    return doc;
  }

  async update(userId: number, id: number, dto: Partial<BucketListDto>): Promise<string> {
    assertOwnUser(dto.user, userId);
    const [rows] = await this.db.query(SQL.update, [userId, id, dto.title ?? null]);
    const doc = found(rows);
    await this.views.bump('bucket-lists');
    return doc;
  }

  async remove(userId: number, id: number): Promise<void> {
    const [, removed] = await this.db.query(SQL.remove, [userId, id]);
    if (!removed) throw notFound();
    await this.views.bump('bucket-lists');
  }
}

const notFound = () => new NotFoundException({ detail: 'Not found.' });

/** The one row a scoped statement returned (UPDATE answers [rows, count]); none means not the caller's. */
function found(rows: Array<{ doc: string }>): string {
  if (!rows.length) throw notFound();
  return rows[0].doc;
}
