import { detectImageType } from './image-type.js';

describe('detectImageType', () => {
  it('recognises images by their first bytes', () => {
    expect(detectImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).toBe('image/jpeg');
    expect(detectImageType(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toBe('image/png');
    expect(detectImageType(Buffer.from('GIF89a....'))).toBe('image/gif');
    expect(detectImageType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
  });

  it('refuses anything else, including look-alikes and what a file name or Content-Type claims', () => {
    for (const bytes of ['<svg xmlns="http://www.w3.org/2000/svg"/>', '<html>', 'GIF87b', 'RIFF\0\0\0\0WAVE', '', '\x89PNG']) {
      expect(detectImageType(Buffer.from(bytes, 'latin1'))).toBeUndefined();
    }
  });
});
