import { NOT_AN_IMAGE, PNG } from '../fixtures.js';

// Dictionaries. Path and query values are wire text: percent-encoded where they need to be.

// prettier-ignore
export const EDGE_SEGMENTS = [
  '0', '-1', '-0', '+1', '01', '1.5', '1.0', '1e3', '0x1F', '1_000', '%201', '1%20', '',
  '9007199254740991', '9007199254740993', '999999999999999', '1000000000000000',
  '9223372036854775807', '9223372036854775808', `1${'0'.repeat(308)}`, 'NaN', 'Infinity',
  'null', 'undefined', 'true', '%5B%5D', '%7B%7D', '%00', '1%00', '%2F', '%2e%2e', '..', '.',
  '%', '%zz', '%C0%AF', '%FF', '%F0%9F%98%80', '%E2%80%AE1', '%EF%BC%91', '%D9%A1',
  'a'.repeat(200), 'a'.repeat(201), '9'.repeat(5_000), '%25', '%3F', '%23', '1;a=b', 'me',
  'likes', 'my_logbooks', 'classify',
];

// prettier-ignore
export const EDGE_QUERY = [
  '', '0', '1', '-1', '2', '10', '99', '100', '101', '1000', '1e2', '1.5', '01', '%2B1',
  '%201', '999999999', '1000000000', '9'.repeat(30), 'NaN', 'Infinity', 'abc', 'null', 'true',
  '%00', '%', '%zz', '%F0%9F%98%80', 'x'.repeat(5_000), '..%2F..%2Fetc%2Fpasswd', 'fish.png',
  'fish.png%00.html', '%0D%0AX-Injected:%201', 'image%2Fpng', 'image%2Fjpeg', 'image%2Fgif',
  'image%2Fwebp', 'image%2Fsvg%2Bxml', 'IMAGE%2FPNG', 'image%2Fpng%3B%20charset%3Dx', 'text%2Fhtml',
  '%5B%5D', 'a'.repeat(200), 'a'.repeat(201), '.', '..', '%2F', 'x'.repeat(20_000),
  Array.from({ length: 2_000 }, (_, i) => `1&p${i}=1`).join(''),
];

/** Raw JSON text, so that numbers JSON.stringify cannot write (1e309, -0, 1e-400) go out as such. */
// prettier-ignore
export const EDGE_NUMBERS = [
  '1e308', '-1e308', '1e309', '-1e309', '5e-324', '1e-400', '-0', '0', '-1', '0.5', '1.5',
  '9007199254740993', '123456789012345678901234567890', '32767', '32768', '-32769', '2147483647',
  '2147483648', '86399', '86400', '1.7976931348623157e308', '1E2', '"NaN"', '"Infinity"',
  '"-Infinity"', '"1e308"', '"1e309"', '"0x1F"', '" 12 "', '"12abc"', '"1,5"', '"١٢"', 'true',
  'false', '[]', '{}', '[1]', '[[]]',
];

// prettier-ignore
export const EDGE_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff', '\u202e', '\ufeff', '😀'.repeat(129), 'é',
  'e\u0301', '<script>alert(1)</script>', "'; DROP TABLE logbooks;--", '${jndi:ldap://x}', '%00',
  '\r\n', '\\', 'null', 'undefined', '__proto__', 'http://127.0.0.1/media/x', 'javascript:alert(1)',
  'file:///etc/passwd', 'a'.repeat(257), 'a'.repeat(10_001), 'İ'.repeat(40),
  // dates
  '2024-02-30', '2023-02-29', '1900-02-29', '2000-02-29', '2024-13-01', '2024-00-10', '2024-06-00',
  '2024-06-31', '0000-01-01', '0001-01-01', '9999-12-31', '2024-1-1', '24-06-01', '2024/06/01',
  '2024-06-01T00:00:00Z', '2024-06-01 ', '-2024-06-01', '+002024-06-01', '१२३४-०६-०१', 'today',
  '4713-01-01', '5874897-12-31',
  // durations
  '00:00:59', '00:01:00', '23:59:59', '24:00:00', '99:99:99', '1 00:00:00', '9999 23:59:59',
  '00:00:60', '00:60:00', '86399', '86400', '-60', '1e3', '60.9999999', '00:01:00.000001', ' 60 ',
  '0 00:01:00', '9999 99:99:99',
];

/** Lists: duplicates (also after trimming or case folding), blanks, wrong item types, too many. */
// prettier-ignore
export const EDGE_ARRAYS = [
  '[]', '[""]', '[" "]', '["a","a"]', '["BCD","bcd"]', '["BCD"," BCD "]', '["é","e\u0301"]',
  '[null]', '[1]', '[1,1]', '[0]', '[-1]', '[1.5]', '["1"]', '[9007199254740993]', '[1e309]',
  '[[1]]', '[{}]', '[true]', JSON.stringify(Array.from({ length: 51 }, (_, i) => `e${i}`)),
  JSON.stringify(Array.from({ length: 101 }, (_, i) => i + 1)), JSON.stringify(['x'.repeat(101)]),
  JSON.stringify(EDGE_STRINGS), JSON.stringify(Array.from({ length: 100_000 }, () => 1)),
];

// prettier-ignore
export const EXTRA_KEYS = [
  'id', 'user', 'user_id', 'is_admin', 'likes_count', 'likes', '__proto__', 'constructor',
  'prototype', 'toString', 'hasOwnProperty', '', ' ', 'DIVE_TITLE', 'a.b', '$where', 'status',
];

// prettier-ignore
export const NOT_JSON = [
  '', ' ', '{', '}', '{"a":1', '{"a":1}}', "{'a':1}", '{a:1}', 'undefined', 'NaN', 'null garbage',
  '[1,]', '{"a":1,}', '\ufeff{}', '\u0000', '<xml/>', 'a=1&b=2', '{"a":"\\x41"}', '{"a":"\\uZZZZ"}',
  '{"a":01}', '"unterminated', 'truefalse', '1 2', '{"__proto__":{"x":1}}',
  '{"constructor":{"prototype":{"x":1}}}', '{"a":1}\u0000',
  `${'{"a":'.repeat(20_000)}{"__proto__":1}${'}'.repeat(20_000)}`,
  `${'{"constructor":'.repeat(20_000)}{"prototype":1}${'}'.repeat(20_000)}`,
  `[${'"x",'.repeat(300_000)}"x"]`,
];

// prettier-ignore
export const JSON_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'application/json;charset=UTF-8',
  'APPLICATION/JSON', 'application/json; charset=latin1', 'application/json; charset=utf-16',
  'application/json; boundary=x', 'application/json ; foo', 'application/problem+json',
  'application/vnd.api+json', 'application/jsonx', 'application/json, text/plain',
];

// prettier-ignore
export const WRONG_TYPES = [
  'text/plain', 'text/plain; charset=utf-8', 'text/html', 'application/xml',
  'application/x-www-form-urlencoded', 'application/octet-stream', 'image/png', 'image/jpeg',
  'image/gif', 'image/webp', 'multipart/form-data', 'multipart/form-data; boundary=',
  'multipart/mixed; boundary=x', 'a/b/c', 'invalid', ';', '*/*', '', 'application/',
];

// prettier-ignore
export const ODD_HEADERS: Array<[string, string]> = [
  ['If-None-Match', '*'], ['If-None-Match', '"x"'], ['If-None-Match', `W/"${'a'.repeat(100)}"`],
  ['Accept', 'application/xml'], ['Accept', 'text/event-stream'], ['Accept-Encoding', 'gzip, br'],
  ['X-Request-Id', 'x'.repeat(300)], ['X-Forwarded-Proto', 'javascript'],
  ['X-Forwarded-Host', 'evil.example:99999'], ['X-Forwarded-Host', '[::1'],
  ['X-Forwarded-For', 'not-an-ip, 999.1.1.1'], ['Content-Encoding', 'gzip'],
  ['Transfer-Encoding', 'chunked'],
];

/** Prefer: wait=N is honoured by design, and no consumer runs here: never a positive N. */
// prettier-ignore
export const PREFER = [
  'wait=0', 'wait=', 'wait=-1', 'wait=abc', 'wait=0.5', 'wait=99999', 'return=minimal',
  'respond-async', ', , ,', 'x'.repeat(8_000),
];

// prettier-ignore
export const FILE = {
  fields: ['dive_image', 'image', 'file', 'photo'],
  names: ['fish.png', '', '../../../etc/passwd', `${'a'.repeat(1_000)}.png`, '😀.png', 'x.svg',
    'x.png\u0000.html', 'C:\\x.png', '.png'],
  types: ['image/png', 'image/jpeg', 'text/html', 'application/octet-stream', '', 'image/svg+xml'],
  bytes: [PNG, NOT_AN_IMAGE, Buffer.alloc(0), PNG.subarray(0, 8), Buffer.from('GIF89a'),
    Buffer.from([0xff, 0xd8, 0xff]), Buffer.concat([PNG, Buffer.alloc(2_000, 7)])],
};
