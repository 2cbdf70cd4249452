import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateLogbookDto } from './logbook.dto.js';

const base = {
  dive_title: 't',
  dive_site: 's',
  dive_date: '2024-01-01',
  max_depth: '12.5',
  bottom_time: '00:45:00',
  weight: '4',
  start_pressure: '200',
  end_pressure: '50',
};
const parse = (over: Record<string, unknown>) => {
  const dto = plainToInstance(CreateLogbookDto, { ...base, ...over });
  const failed = validateSync(dto).map((e) => e.property);
  return { dto, failed };
};

describe('CreateLogbookDto (multipart strings and JSON alike)', () => {
  it('turns form strings into numbers, blanks into null and one equipment field into a list', () => {
    const { dto, failed } = parse({ weather: '', equipment: ' BCD ', dive_center: '' });
    expect(failed).toEqual([]);
    expect(dto).toMatchObject({ max_depth: 12.5, weight: 4, bottom_time: 2_700, weather: null, equipment: ['BCD'], dive_center: null });
  });

  it.each([
    ['00:45:00', 2_700],
    ['45:00', 2_700],
    ['1 02:00:00', 93_600],
    ['600', 600],
    [90, 90],
    ['00:01:00.5', 60],
  ])('reads the duration %s as %i seconds', (input, seconds) => {
    expect(parse({ bottom_time: input }).dto.bottom_time).toBe(seconds);
  });

  it.each([['35'], ['00:00:59'], ['soon'], ['1:2:3:4'], [null], [true]])('refuses the bottom time %o', (input) => {
    expect(parse({ bottom_time: input }).failed).toContain('bottom_time');
  });

  it('refuses values outside the choices and ranges', () => {
    expect(
      parse({ weather: 'foggy', type_of_dive: 'cave', weight: '-1', max_depth: 'NaN', dive_date: '01/02/2024' }).failed.toSorted(),
    ).toEqual(['dive_date', 'max_depth', 'type_of_dive', 'weather', 'weight']);
  });
});
