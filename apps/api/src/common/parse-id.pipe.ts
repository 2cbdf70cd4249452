import { Injectable, NotFoundException, type PipeTransform } from '@nestjs/common';

/** A path id: a positive integer, else 404 like the original's router (never a 500 from SQL). */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9]\d{0,14}$/.test(value)) throw new NotFoundException({ detail: 'Not found.' });
    return Number(value);
  }
}
