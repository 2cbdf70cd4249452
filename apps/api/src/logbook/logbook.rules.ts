import { BadRequestException } from '@nestjs/common';
import type { Logbook } from '@app/database';
import type { CreateLogbookDto } from './dto/logbook.dto.js';

const REQUIRED = ['diveTitle', 'diveSite', 'diveDate', 'maxDepth', 'bottomTimeSeconds', 'weight', 'startPressure', 'endPressure'] as const;

const COLUMNS: Record<string, keyof Logbook> = {
  dive_title: 'diveTitle',
  dive_site: 'diveSite',
  dive_date: 'diveDate',
  max_depth: 'maxDepth',
  bottom_time: 'bottomTimeSeconds',
  weight: 'weight',
  start_pressure: 'startPressure',
  end_pressure: 'endPressure',
  weather: 'weather',
  type_of_dive: 'typeOfDive',
  feeling: 'feeling',
  buddy: 'buddy',
  dive_image_url: 'diveImageUrl',
  dive_center: 'diveCenterId',
  latitude: 'latitude',
  longitude: 'longitude',
};

const FIELDS = Object.fromEntries(Object.entries(COLUMNS).map(([field, column]) => [column, field]));

/** The columns a write sets: only the fields the client sent (PATCH semantics; PUT sends them all). */
export function toColumns(dto: Partial<CreateLogbookDto>): Partial<Logbook> {
  const out: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(COLUMNS)) {
    const value = (dto as Record<string, unknown>)[field];
    if (value !== undefined) out[column] = value;
  }
  return out as Partial<Logbook>;
}

/** Rules on the row as it will be stored, so a partial update cannot break them either. */
export function checkRow(row: Partial<Logbook>): void {
  const errors: Record<string, string[]> = {};
  for (const column of REQUIRED) {
    if (row[column] === null || row[column] === undefined) errors[FIELDS[column]] = ['This field may not be null.'];
  }
  if (typeof row.startPressure === 'number' && typeof row.endPressure === 'number' && row.endPressure > row.startPressure) {
    errors.end_pressure = ['End pressure must not exceed start pressure.'];
  }
  if (Object.keys(errors).length) throw new BadRequestException(errors);
}
